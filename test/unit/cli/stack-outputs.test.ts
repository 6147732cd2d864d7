import { parseStackOutputs } from '../../../scripts/cli/stack-outputs';

const OUTPUTS = {
  InputBucket: 'in',
  InputPrefix: 'incoming/',
  ResultsBucket: 'res',
  ModelBucket: 'mod',
  IngestQueueUrl: 'q',
  DeadLetterQueueUrl: 'dlq',
  BufferTable: 't',
  BatcherFunction: 'f',
  FinisherFunction: 'ff',
  FinisherRule: 'fr',
  CompletionEventBus: 'default',
  JobQueue: 'jq',
  InferJobDefinition: 'ij',
  TrainJobDefinition: 'tj',
  ModelName: 'digits',
};

test('the outputs of the stack map to named fields', () => {
  // When complete outputs are parsed
  const stack = parseStackOutputs('S', OUTPUTS);
  // Then each is under its field
  expect(stack).toMatchObject({
    stackName: 'S',
    inputBucket: 'in',
    jobQueue: 'jq',
    modelName: 'digits',
  });
});

test('missing outputs are all named at once', () => {
  // Given outputs without two entries
  const { JobQueue: _jq, ModelName: _mn, ...partial } = OUTPUTS;
  void _jq;
  void _mn;
  // Then the error names both and the stack
  expect(() => parseStackOutputs('Old', partial)).toThrow(
    'stack Old: missing outputs JobQueue, ModelName',
  );
});
