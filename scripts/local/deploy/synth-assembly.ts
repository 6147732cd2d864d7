import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createApp, STACK_NAME } from '../../../lib/app/create-app';
import type { PipelineConfig } from '../../../lib/config/pipeline-config';
import type { CfnTemplate } from './emulator-template';

const PROJECT_ROOT = resolve(__dirname, '..', '..', '..');

/** A file asset of the cloud assembly, as the CDK CLI would publish it. */
export interface FileAsset {
  readonly hash: string;
  /** Absolute path of the directory or file to publish. */
  readonly path: string;
  readonly packaging: 'zip' | 'file';
  /** Destination with ${AWS::AccountId}, ${AWS::Region} and ${AWS::Partition} unresolved. */
  readonly bucketName: string;
  readonly objectKey: string;
}

export interface SynthesizedStack {
  readonly template: CfnTemplate;
  readonly fileAssets: readonly FileAsset[];
  /** Docker image assets: nothing can build or publish them here. */
  readonly imageAssets: readonly string[];
  readonly directory: string;
}

interface AssetManifest {
  readonly files?: Record<
    string,
    {
      source: { path: string; packaging?: 'zip' | 'file' };
      destinations: Record<string, { bucketName: string; objectKey: string }>;
    }
  >;
  readonly dockerImages?: Record<string, { displayName?: string }>;
}

/**
 * Synthesizes the project's own CDK app (the one `cdk deploy` deploys: cdk.json context, config
 * validation, cdk-nag) with `pipeline` settings over cdk.json's, into `outdir`.
 */
export function synthesizeStack(
  pipeline: Partial<Record<keyof PipelineConfig, unknown>>,
  outdir: string,
): SynthesizedStack {
  const cdkJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const configured = (cdkJson.context?.pipeline ?? {}) as Record<string, unknown>;
  const { app } = createApp({
    outdir,
    context: { ...cdkJson.context, pipeline: { ...configured, ...pipeline } },
  });
  const assembly = app.synth();
  const stack = assembly.getStackByName(STACK_NAME);
  const manifest = JSON.parse(
    readFileSync(join(assembly.directory, `${STACK_NAME}.assets.json`), 'utf8'),
  ) as AssetManifest;
  const fileAssets = Object.entries(manifest.files ?? {}).flatMap(([hash, asset]) =>
    Object.values(asset.destinations).map((destination) => ({
      hash,
      path: join(assembly.directory, asset.source.path),
      packaging: asset.source.packaging ?? 'file',
      bucketName: destination.bucketName,
      objectKey: destination.objectKey,
    })),
  );
  return {
    template: stack.template as CfnTemplate,
    fileAssets,
    imageAssets: Object.entries(manifest.dockerImages ?? {}).map(
      ([hash, image]) => image.displayName ?? hash,
    ),
    directory: assembly.directory,
  };
}
