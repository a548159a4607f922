import { Token } from 'cdktf';
import { InfrastructureModel } from '../model/pipeline';
import { shown } from '../private/credentials';
import { validateScopedReference } from '../private/identifiers';

/** CPU architecture of Harness Cloud build machines. */
export enum CpuArchitecture {
  /** x86-64. */
  AMD64 = 'Amd64',
  /** 64-bit ARM. */
  ARM64 = 'Arm64',
}

/** Options for {@link BuildInfrastructure.harnessCloud}. */
export interface HarnessCloudOptions {
  /**
   * CPU architecture of the Linux build machine.
   * @default CpuArchitecture.AMD64
   */
  readonly arch?: CpuArchitecture;
}

/** Options for {@link BuildInfrastructure.kubernetes}. */
export interface KubernetesOptions {
  /** Harness Kubernetes cluster connector, e.g. `account.my_cluster`. */
  readonly connectorRef: string;
  /** Namespace in which the build pods run. */
  readonly namespace: string;
  /**
   * Image for the Run step: needs git (2.30 or later) and a POSIX `sh`.
   * @default 'alpine/git:v2.47.2'
   */
  readonly image?: string;
  /**
   * Container registry connector used to pull `image`.
   * @default 'account.harnessImage' (Harness's built-in Docker Hub connector)
   */
  readonly imageConnectorRef?: string;
}

const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function checkConnector(prop: string, value: string): void {
  validateScopedReference(prop, value, 'connector');
}

/** Where the mirror pipeline's Build stage runs. */
export class BuildInfrastructure {
  /** Harness Cloud: Harness-hosted Linux machines, which come with git. */
  public static harnessCloud(options: HarnessCloudOptions = {}): BuildInfrastructure {
    return new BuildInfrastructure({ kind: 'cloud', os: 'Linux', arch: options.arch ?? CpuArchitecture.AMD64 });
  }

  /** A Kubernetes cluster of yours, reached through a Harness Kubernetes connector. */
  public static kubernetes(options: KubernetesOptions): BuildInfrastructure {
    checkConnector('kubernetes.connectorRef', options.connectorRef);
    if (!Token.isUnresolved(options.namespace) && !NAMESPACE.test(options.namespace ?? '')) {
      throw new Error(`kubernetes.namespace must be a Kubernetes namespace name, got ${shown(options.namespace)}`);
    }
    const imageConnectorRef = options.imageConnectorRef ?? 'account.harnessImage';
    checkConnector('kubernetes.imageConnectorRef', imageConnectorRef);
    const image = options.image ?? 'alpine/git:v2.47.2';
    if (!Token.isUnresolved(image) && !/^[^\s]+$/.test(image)) {
      throw new Error(`kubernetes.image must be an image reference without spaces, got ${shown(image)}`);
    }
    return new BuildInfrastructure({
      kind: 'kubernetes',
      connectorRef: options.connectorRef,
      namespace: options.namespace,
      image,
      imageConnectorRef,
    });
  }

  /** @internal */
  public readonly _model: InfrastructureModel;

  private constructor(model: InfrastructureModel) {
    this._model = model;
  }
}
