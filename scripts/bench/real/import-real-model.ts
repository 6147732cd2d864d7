import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliContext } from '../../cli/command';
import { modelsCommand } from '../../cli/commands/models-command';
import type { PipelineStack } from '../../cli/stack-outputs';

/** MobileNetV2's input: 224x224 RGB, pixel / 127.5 - 1 (tf_keras.applications.mobilenet_v2). */
export const REAL_INPUT = { height: 224, width: 224, scale: 1 / 127.5, offset: -1 };
export const REAL_CLASSES = 1000;
/** Labels per result: top-5 agreement with the peer is read from them. */
export const REAL_TOP_K = 5;

export const realLabel = (index: number) => `class-${String(index).padStart(4, '0')}`;

/**
 * Registers `modelDir` (the converter's output) as `name` and promotes it, with
 * `gbi models import` as a user would run it (labels from a file, one a line), against the S3
 * endpoint the environment names. Returns what the command printed; throws if it failed.
 */
export async function importRealModel(
  modelDir: string,
  workdir: string,
  modelBucket: string,
  name: string,
): Promise<string[]> {
  const labelsFile = join(workdir, 'labels.txt');
  writeFileSync(
    labelsFile,
    `${Array.from({ length: REAL_CLASSES }, (_, i) => realLabel(i)).join('\n')}\n`,
  );
  const output: string[] = [];
  const context: CliContext = {
    io: { out: (line) => output.push(line), err: (line) => output.push(line) },
    stackName: 'bench-real',
    stack: async () => ({ modelBucket, modelName: name }) as PipelineStack,
  };
  const code = await modelsCommand.run(
    [
      'import',
      modelDir,
      '--input=image',
      `--shape=${REAL_INPUT.height}x${REAL_INPUT.width}x3`,
      `--scale=${REAL_INPUT.scale}`,
      `--offset=${REAL_INPUT.offset}`,
      `--labels-file=${labelsFile}`,
      `--top-k=${REAL_TOP_K}`,
      '--promote',
    ],
    context,
  );
  if (code !== 0) throw new Error(`gbi models import exited ${code}: ${output.join('\n')}`);
  return output;
}
