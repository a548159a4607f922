export { HarnessProvider } from './gen/providers/harness/provider';
/** Every generated binding of the `harness/harness` provider, as `harness.<resource>.<Class>`. */
export * as harness from './gen/providers/harness';
export type { HarnessProviderConfig } from './gen/providers/harness/provider';
export { BuildInfrastructure, CpuArchitecture } from './constructs/build-infrastructure';
export type { HarnessCloudOptions, KubernetesOptions } from './constructs/build-infrastructure';
export { HarnessCodeMirrorAccount } from './constructs/harness-code-mirror-account';
export type { HarnessCodeMirrorAccountProps } from './constructs/harness-code-mirror-account';
export { MirrorPipeline } from './constructs/mirror-pipeline';
export { NotificationRule, PipelineEvent } from './constructs/notification-rule';
export type { EmailNotificationOptions, NotificationRuleOptions, SlackNotificationOptions } from './constructs/notification-rule';
export type { MirrorPipelineProps } from './constructs/mirror-pipeline';
export { MirrorDirection, RepoMirror } from './constructs/repo-mirror';
export type { MirrorDirectionProps, ReconcileOptions, RepoEndpoint, RepoMirrorProps, WebhookTrigger } from './constructs/repo-mirror';
export { SecretRef, TokenSecret } from './constructs/secret-ref';
export type { TokenSecretProps } from './constructs/secret-ref';
export { GitProvider } from './model/providers';
