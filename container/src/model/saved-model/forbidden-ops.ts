/**
 * TensorFlow ops a model imported as a SavedModel must not hold: each reaches outside the
 * model's tensors (files, the network, the host process) or hides a program where an op scan
 * cannot read it. The pipeline feeds a model float tensors and reads float scores; no model it
 * scores needs any of these. A denylist rather than an allowlist because TensorFlow registers
 * some 1,500 ops and models use a long, changing tail of the pure ones; what the denylist cannot
 * name is bounded by the C library itself, which fails the load of any op it does not register
 * (custom ops from tensorflow-io, say), named by TensorFlow.
 *
 * Sources: the op registrations of TensorFlow 2.21 (tensorflow/core/ops/io_ops.cc,
 * dataset_ops.cc, experimental_dataset_ops.cc, summary_ops.cc, logging_ops.cc, script_ops.cc,
 * rpc_ops.cc, collective_ops.cc, debug_ops.cc, lookup_ops.cc, checkpoint_ops.cc,
 * encode_proto_ops.cc, decode_proto_ops.cc, function_ops.cc, mlir_passthrough_op.cc, xla_ops.cc).
 */

/** Why an op is refused, for the message. */
export type ForbiddenReason = string;

const FILE = 'reads or writes files';
const NETWORK = 'reaches the network or other processes';
const HOST = 'runs host code or writes to the host';
const HIDDEN = 'runs a program held in an attribute or tensor, which this check cannot read';

const BY_NAME: Readonly<Record<string, ForbiddenReason>> = {
  // Files (io_ops.cc, lookup_ops.cc, checkpoint_ops.cc, array_ops.cc)
  ReadFile: FILE,
  WriteFile: FILE,
  MatchingFiles: FILE,
  FileSystemSetConfiguration: FILE,
  ImmutableConst: `${FILE} (memory-maps one)`,
  InitializeTableFromTextFile: FILE,
  InitializeTableFromTextFileV2: FILE,
  GenerateVocabRemapping: FILE,
  LoadAndRemapMatrix: `${FILE} (a checkpoint)`,
  // descriptor_source may name a file of protocol buffer descriptors.
  DecodeProtoV2: FILE,
  EncodeProto: FILE,
  CreateSummaryFileWriter: FILE,
  CreateSummaryDbWriter: FILE,
  SummaryWriter: FILE,
  FlushSummaryWriter: FILE,
  CloseSummaryWriter: FILE,
  ImportEvent: FILE,
  DistributedSave: FILE,
  // Network (rpc_ops.cc, function_ops.cc, sendrecv_ops.cc, debug_ops.cc: debug_urls take
  // file:// and grpc://, cloud ops)
  RemoteCall: NETWORK,
  Send: NETWORK,
  Recv: NETWORK,
  _Send: NETWORK,
  _Recv: NETWORK,
  _HostSend: NETWORK,
  _HostRecv: NETWORK,
  DebugIdentity: NETWORK,
  DebugIdentityV2: NETWORK,
  DebugIdentityV3: NETWORK,
  DebugNanCount: NETWORK,
  DebugNumericSummary: NETWORK,
  DebugNumericSummaryV2: NETWORK,
  GcsConfigureCredentials: NETWORK,
  GcsConfigureBlockCache: NETWORK,
  GenerateBigQueryReaderPartitions: NETWORK,
  // Host (script_ops.cc: Python callbacks; logging_ops.cc: PrintV2's output_stream may be a file)
  PyFunc: HOST,
  PyFuncStateless: HOST,
  EagerPyFunc: HOST,
  Print: HOST,
  PrintV2: HOST,
  XlaHostCompute: HOST,
  XlaSendToHost: HOST,
  XlaRecvFromHost: HOST,
  _XlaHostComputeMlir: HOST,
  // Programs out of sight of the scan
  MlirPassthroughOp: HIDDEN,
  XlaCallModule: HIDDEN,
};

const BY_PATTERN: readonly (readonly [RegExp, ForbiddenReason])[] = [
  // tf.data: file sources and sinks (TFRecordDataset, SaveDataset, snapshots, caches), the
  // data service (network) and DatasetFromGraph (a graph rebuilt from a tensor).
  [/Dataset/, `${FILE}, the network or a graph held in a tensor (tf.data)`],
  // TensorFlow 1 readers (TFRecordReader, WholeFileReader, ...) and the ops that drive them.
  [/^Reader|Reader(V2)?$/, FILE],
  [/^Write\w*Summary$/, FILE],
  [/^(Rpc|TryRpc)/, NETWORK],
  [/^(Collective|Nccl)/, NETWORK],
];

/**
 * Checkpoint ops: Keras and tf.saved_model.save put them in every SavedModel with variables, in
 * the functions the saver runs (restore at load, save never). Allowed only there (see
 * checkGraphOps), refused anywhere a signature or init op can reach.
 */
export const RESTORE_OPS: ReadonlySet<string> = new Set(['RestoreV2', 'Restore', 'RestoreSlice']);
export const SAVE_OPS: ReadonlySet<string> = new Set([
  'SaveV2',
  'Save',
  'SaveSlices',
  'MergeV2Checkpoints',
]);

/** Why `op` is refused wherever it is, or undefined when it is not on the list. */
export function forbiddenReason(op: string): ForbiddenReason | undefined {
  if (Object.hasOwn(BY_NAME, op)) return BY_NAME[op];
  return BY_PATTERN.find(([pattern]) => pattern.test(op))?.[1];
}
