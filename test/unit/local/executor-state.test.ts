import {
  ChildRecord,
  ExecutorState,
  parentStatus,
  recoverInterrupted,
} from '../../../scripts/local/executor/executor-state';

const child = (status: ChildRecord['status']): ChildRecord => ({ status });

test('a parent succeeds only when every child succeeded', () => {
  expect(parentStatus([child('SUCCEEDED'), child('SUCCEEDED')])).toBe('SUCCEEDED');
});

test('a parent fails once all children ended and one failed', () => {
  expect(parentStatus([child('SUCCEEDED'), child('FAILED')])).toBe('FAILED');
});

test('a parent runs while a child still waits after another ended', () => {
  expect(parentStatus([child('FAILED'), child('RUNNABLE')])).toBe('RUNNING');
});

test('a parent is runnable until a child starts', () => {
  expect(parentStatus([child('RUNNABLE'), child('RUNNABLE')])).toBe('RUNNABLE');
});

test('children left running by a stopped executor become failed with the reason', () => {
  // Given a record with a running and a waiting child
  const state: ExecutorState = {
    schemaVersion: 1,
    jobs: {
      j: {
        jobId: 'j',
        jobName: 'n',
        jobDefinition: 'd',
        command: ['infer'],
        environment: {},
        arraySize: 2,
        discoveredAt: 't0',
        status: 'RUNNING',
        children: [
          { index: 0, status: 'RUNNING' },
          { index: 1, status: 'RUNNABLE' },
        ],
      },
    },
  };
  // When a new executor recovers it
  const recovered = recoverInterrupted(state, 't1');
  // Then the running child failed as interrupted and the waiting one still waits
  expect(recovered.jobs.j.children[0]).toMatchObject({ status: 'FAILED', stoppedAt: 't1' });
  expect(recovered.jobs.j.children[0].reason).toContain('interrupted');
  expect(recovered.jobs.j.children[1].status).toBe('RUNNABLE');
  expect(recovered.jobs.j.status).toBe('RUNNING');
});
