export { HarnessProvider, HarnessProviderConfig } from './gen/providers/harness/provider';
export { BuildInfrastructure, CpuArchitecture, HarnessCloudOptions, KubernetesOptions } from './constructs/build-infrastructure';
export { MirrorPipeline, MirrorPipelineProps } from './constructs/mirror-pipeline';
export { MirrorDirection, MirrorDirectionProps, RepoEndpoint, RepoMirror, RepoMirrorProps } from './constructs/repo-mirror';
export { SecretRef, TokenSecret, TokenSecretProps } from './constructs/secret-ref';
export { GitProvider } from './model/providers';
