import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  checkSymbols,
  calledFunctions,
  definedSymbols,
  exportedDeclarations,
} from './c-api-symbols';
import {
  NATIVE_PACKAGE,
  NativeStatus,
  NativeVariant,
  nativePackageDir,
  nativeStatusFile,
  readNativeStatus,
} from './native-location';
import { addonBuildEnv, configuredNodeDir } from './addon-headers';
import { rebuildReason, runningNode } from './build-reuse';
import { cudaKernels, sassFor, TARGET_GPUS } from './cuda-kernels';
import { NativeSetupError, runTool } from './run-tool';

export interface BuildNativeOptions {
  readonly variant: NativeVariant;
  /** Folder of the builds (nativeRoot()); downloaded wheels are kept in its wheels/. */
  readonly root: string;
  /** Rebuild even when the cached build matches the pins. @default false */
  readonly force?: boolean;
  readonly log: (line: string) => void;
}

/** The wheels are published for CPython 3.11 on this platform; the C library inside is the same
 * for every Python, so it is fetched for that tag whatever Python runs pip. */
const WHEEL_PLATFORM = [
  ...['--platform', 'manylinux_2_27_x86_64', '--platform', 'manylinux2014_x86_64'],
  ...['--python-version', '3.11'],
];

/**
 * Installs @tensorflow/tfjs-node (or -gpu) at the project's @tensorflow/tfjs version and builds
 * its addon from source against the TensorFlow C library of a pinned, hash-checked PyPI wheel:
 * the package's own install script downloads a libtensorflow build (2.9.1) that cannot be
 * fetched here and has no kernels for current GPUs. package.json and the lockfile are not
 * touched: the package lives under `root` and stays optional. Writes the outcome to the
 * variant's status file, failures included, so the worker can say why it runs on wasm.
 */
export async function buildNative(options: BuildNativeOptions): Promise<NativeStatus> {
  const { variant, root, log } = options;
  const tfjsVersion = await projectTfjsVersion();
  const tensorflowRequirements = join(__dirname, `requirements-${variant}.txt`);
  const requirementFiles = [
    tensorflowRequirements,
    ...(variant === 'gpu' ? [CUDA_REQUIREMENTS] : []),
  ];
  const pins = (await Promise.all(requirementFiles.map(requirementPins)))
    .flat()
    .map((pin) => pin.line)
    .join('\n');
  const cached = readNativeStatus(root, variant);
  const packageDir = nativePackageDir(root, variant);
  const node = runningNode();
  const stale = rebuildReason(cached, { tfjsVersion, pins }, node);
  const reusable = stale === undefined && existsSync(join(packageDir, 'lib'));
  if (!options.force && reusable && cached !== undefined) {
    log(
      `${NATIVE_PACKAGE[variant]} ${tfjsVersion} on TensorFlow ${cached.tensorflowVersion} (Node-API ${cached.napiVersion}, built on Node.js ${cached.nodeVersion}): cached in ${packageDir}`,
    );
    return cached;
  }
  if (cached !== undefined && !options.force) log(`rebuilding: ${stale ?? `no ${packageDir}/lib`}`);
  const base = {
    variant,
    tfjsVersion,
    pins,
    nodeVersion: node.version,
    builtAt: new Date().toISOString(),
  };
  try {
    await checkPrerequisites();
    const wheelDir = join(root, 'wheels');
    const tensorflowWheels = await downloadPinnedWheels(tensorflowRequirements, wheelDir, log);
    if (tensorflowWheels.length !== 1) {
      throw new NativeSetupError(`${tensorflowRequirements}: expected one pinned wheel`);
    }
    await installPackage(root, variant, tfjsVersion, log);
    await extractLibrary(tensorflowWheels[0], packageDir, log);
    await checkCApi(packageDir, log);
    if (variant === 'gpu') {
      await checkGpuKernels(packageDir, log);
      await installCudaLibraries(
        await downloadPinnedWheels(CUDA_REQUIREMENTS, wheelDir, log),
        packageDir,
      );
    }
    const napiVersion = await compileAddon(packageDir, log);
    const loaded = await verifyLoad(root, variant);
    log(
      `${NATIVE_PACKAGE[variant]} ${tfjsVersion} built on TensorFlow ${loaded.tensorflowVersion} for Node-API ${napiVersion} (Node.js ${node.version}) in ${packageDir}`,
    );
    return await writeStatus(root, {
      ...base,
      ok: true,
      tensorflowVersion: loaded.tensorflowVersion,
      napiVersion,
    });
  } catch (error) {
    const reason = error instanceof NativeSetupError ? error.message : String(error);
    await writeStatus(root, { ...base, ok: false, reason });
    throw error;
  }
}

async function writeStatus(root: string, status: NativeStatus): Promise<NativeStatus> {
  const file = nativeStatusFile(root, status.variant);
  await mkdir(dirname(file), { recursive: true });
  // A new file renamed over the old: a reader never sees half a record, and a hard-linked copy
  // of the folder (another checkout's) keeps its own.
  await writeFile(`${file}.tmp`, JSON.stringify(status, null, 2) + '\n');
  await rename(`${file}.tmp`, file);
  return status;
}

/** node-pre-gyp puts the addon in lib/napi-v<N>/, N being the Node-API version it targets. */
async function builtNapiVersion(packageDir: string): Promise<number> {
  const lib = join(packageDir, 'lib');
  const versions = (await readdir(lib))
    .map((name) => /^napi-v(\d+)$/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined);
  if (versions.length !== 1) {
    throw new NativeSetupError(
      `addon build: expected one napi-v<N> folder in ${lib}, found ${versions.length}`,
    );
  }
  return Number(versions[0]);
}

async function projectTfjsVersion(): Promise<string> {
  const file = require.resolve('@tensorflow/tfjs/package.json');
  return (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version;
}

/** The CUDA and cuDNN runtime wheels of the GPU variant. */
const CUDA_REQUIREMENTS = join(__dirname, 'requirements-cuda.txt');

interface RequirementPin {
  /** `name==version --hash=sha256:...`, as in the requirements file. */
  readonly line: string;
  readonly name: string;
  readonly version: string;
  readonly sha256: string;
}

/** The pinned wheels of a requirements file; a line without name==version and sha256 is an error. */
async function requirementPins(file: string): Promise<RequirementPin[]> {
  const lines = (await readFile(file, 'utf8'))
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return lines.map((line) => {
    const match = /^([A-Za-z0-9_.-]+)==(\S+) --hash=sha256:([0-9a-f]{64})$/.exec(line);
    if (match === null) {
      throw new NativeSetupError(
        `${file}: expected 'name==version --hash=sha256:<64 hex>', got '${line}'`,
      );
    }
    return { line, name: match[1], version: match[2], sha256: match[3] };
  });
}

/** Everything the build runs, checked up front so one message names all that is missing. */
async function checkPrerequisites(): Promise<void> {
  const missing: string[] = [];
  const probe = async (what: string, command: string, args: string[]) => {
    try {
      await runTool(what, command, args);
    } catch {
      missing.push(what);
    }
  };
  await probe('python3 with pip (downloads the wheel)', 'python3', ['-m', 'pip', '--version']);
  await probe('g++ (compiles the addon)', 'g++', ['--version']);
  await probe('make (runs the addon build)', 'make', ['--version']);
  await probe('nm from binutils (checks the C API symbols)', 'nm', ['--version']);
  const headers = join(nodeDir(), 'include', 'node', 'node_api.h');
  if (!existsSync(headers)) missing.push(`Node.js headers (${headers})`);
  if (missing.length > 0) {
    throw new NativeSetupError(`missing prerequisites: ${missing.join('; ')}`);
  }
}

/** The install prefix of the running node, whose include/node holds the headers node-gyp needs. */
function nodeDir(): string {
  return dirname(dirname(process.execPath));
}

/**
 * Downloads the wheels a requirements file pins (pip --require-hashes) and returns their paths.
 * pip checks the hash of what it downloads; a file already in the folder is checked here too.
 */
async function downloadPinnedWheels(
  requirementsFile: string,
  wheelDir: string,
  log: (line: string) => void,
): Promise<string[]> {
  const pins = await requirementPins(requirementsFile);
  log(
    `download (pip --require-hashes): ${pins.map((pin) => `${pin.name}==${pin.version}`).join(', ')}`,
  );
  await pipDownload(requirementsFile, wheelDir, log);
  const files = await readdir(wheelDir);
  const paths: string[] = [];
  for (const pin of pins) {
    const prefix = `${pin.name.replace(/-/g, '_')}-${pin.version}-`;
    const file = files.find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
    if (file === undefined) {
      throw new NativeSetupError(`wheel download: no ${prefix}*.whl in ${wheelDir}`);
    }
    const path = join(wheelDir, file);
    const actual = await sha256File(path);
    if (actual !== pin.sha256) {
      await rm(path);
      throw new NativeSetupError(
        `wheel download: ${file} has sha256 ${actual}, ${requirementsFile} pins ${pin.sha256}`,
      );
    }
    paths.push(path);
  }
  return paths;
}

async function pipDownload(
  requirementsFile: string,
  wheelDir: string,
  log: (line: string) => void,
): Promise<void> {
  await mkdir(wheelDir, { recursive: true });
  await runTool(
    'wheel download',
    'python3',
    [
      '-m',
      'pip',
      'download',
      '--no-deps',
      '--only-binary=:all:',
      '--require-hashes',
      ...WHEEL_PLATFORM,
      '--dest',
      wheelDir,
      '--requirement',
      requirementsFile,
    ],
    { log: (line) => line.startsWith('ERROR') && log(line) },
  );
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * npm-installs the package into `<root>/<variant>` without its install script (the download),
 * then removes its private copy of @tensorflow/tfjs so it loads the project's (same version).
 */
async function installPackage(
  root: string,
  variant: NativeVariant,
  tfjsVersion: string,
  log: (line: string) => void,
): Promise<void> {
  const prefix = join(root, variant);
  await rm(join(prefix, 'node_modules'), { recursive: true, force: true });
  await mkdir(prefix, { recursive: true });
  await writeFile(
    join(prefix, 'package.json'),
    JSON.stringify({ private: true, description: 'built by container/native/setup-native.ts' }) +
      '\n',
  );
  const spec = `@tensorflow/${NATIVE_PACKAGE[variant]}@${tfjsVersion}`;
  log(`npm install --ignore-scripts ${spec}`);
  await runTool(
    'npm install',
    'npm',
    [
      'install',
      '--ignore-scripts',
      '--omit=dev',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      spec,
    ],
    { cwd: prefix, log },
  );
  const scope = join(prefix, 'node_modules', '@tensorflow');
  for (const name of await readdir(scope)) {
    if (name !== NATIVE_PACKAGE[variant]) await rm(join(scope, name), { recursive: true });
  }
}

/** The two shared libraries into deps/lib (named as binding.gyp links them) and the headers. */
async function extractLibrary(
  wheelFile: string,
  packageDir: string,
  log: (line: string) => void,
): Promise<void> {
  const deps = join(packageDir, 'deps');
  await rm(deps, { recursive: true, force: true });
  log(`extract libtensorflow_cc.so.2, libtensorflow_framework.so.2 and headers from ${wheelFile}`);
  // Python's zipfile takes only the members needed (the wheel unpacks to over 1 GB).
  const script = [
    'import sys, zipfile, os, shutil',
    'wheel, deps = sys.argv[1], sys.argv[2]',
    'with zipfile.ZipFile(wheel) as z:',
    '  for m in z.namelist():',
    "    if m in ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'):",
    "      target = os.path.join(deps, 'lib', os.path.basename(m))",
    "    elif m.startswith('tensorflow/include/') and not m.endswith('/'):",
    "      target = os.path.join(deps, 'include', m[len('tensorflow/include/'):])",
    '    else:',
    '      continue',
    '    os.makedirs(os.path.dirname(target), exist_ok=True)',
    "    with z.open(m) as src, open(target, 'wb') as dst: shutil.copyfileobj(src, dst)",
  ].join('\n');
  await runTool('wheel extract', 'python3', ['-c', script, wheelFile, deps]);
  const lib = join(deps, 'lib');
  for (const name of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    if (!existsSync(join(lib, name))) {
      throw new NativeSetupError(`wheel extract: ${wheelFile} holds no tensorflow/${name}`);
    }
  }
  // binding.gyp links -ltensorflow -ltensorflow_framework; the sonames stay the .so.2 files.
  await symlink('libtensorflow_cc.so.2', join(lib, 'libtensorflow.so'));
  await symlink('libtensorflow_framework.so.2', join(lib, 'libtensorflow_framework.so'));
}

async function checkCApi(packageDir: string, log: (line: string) => void): Promise<void> {
  const bindingDir = join(packageDir, 'binding');
  const sources = await Promise.all(
    (await readdir(bindingDir)).map((f) => readFile(join(bindingDir, f), 'utf8')),
  );
  const cDir = join(packageDir, 'deps', 'include', 'tensorflow', 'c');
  const headers = await Promise.all(
    [
      join(cDir, 'c_api.h'),
      join(cDir, 'eager', 'c_api.h'),
      join(cDir, 'tf_status.h'),
      join(cDir, 'tf_tensor.h'),
      join(cDir, 'tf_buffer.h'),
      join(cDir, 'tf_datatype.h'),
    ]
      .filter((f) => existsSync(f))
      .map((f) => readFile(f, 'utf8')),
  );
  // Some functions (TF_NewStatus, TF_NewTensor, ...) live in the framework library.
  const exported = new Set<string>();
  for (const library of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    const nm = await runTool('C API check', 'nm', [
      '-D',
      '--defined-only',
      join(packageDir, 'deps', 'lib', library),
    ]);
    for (const name of definedSymbols(nm)) exported.add(name);
  }
  const check = checkSymbols(calledFunctions(sources), exportedDeclarations(headers), exported);
  if (check.required.length === 0) {
    throw new NativeSetupError('C API check: found no TF_/TFE_ calls in the binding sources');
  }
  if (check.missing.length > 0) {
    throw new NativeSetupError(
      `C API check: the wheel's libraries do not export ${check.missing.join(', ')}`,
    );
  }
  log(`C API check: all ${check.required.length} functions the binding calls are exported`);
}

/**
 * Fails the build unless TensorFlow's kernels include SASS every supported GPU runs as is, so no
 * job pays the driver's PTX JIT at start (docs/container.md).
 */
async function checkGpuKernels(packageDir: string, log: (line: string) => void): Promise<void> {
  for (const library of ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']) {
    const kernels = cudaKernels(await readFile(join(packageDir, 'deps', 'lib', library)));
    const found = Object.entries(TARGET_GPUS).map(([family, gpu]) => ({
      family,
      ...gpu,
      sass: sassFor(gpu.sm, kernels),
    }));
    const missing = found.filter((gpu) => gpu.sass === undefined);
    if (missing.length > 0) {
      throw new NativeSetupError(
        `GPU kernel check: ${library} has no SASS for ${missing.map((g) => `${g.family} (${g.gpu}, sm_${g.sm})`).join(', ')}; SASS for sm_${kernels.sass.join(', sm_')}`,
      );
    }
    log(
      `GPU kernel check: ${library} SASS sm_${kernels.sass.join(', sm_')}, PTX compute_${kernels.ptx.join(', compute_')}; ${found.map((g) => `${g.family} sm_${g.sm} runs sm_${g.sass}`).join(', ')}`,
    );
  }
}

/** The CUDA and cuDNN wheels' nvidia/<lib>/lib folders into deps/nvidia (TensorFlow's RUNPATH). */
async function installCudaLibraries(wheels: readonly string[], packageDir: string): Promise<void> {
  const script = [
    'import sys, zipfile, os, shutil',
    'deps = sys.argv[1]',
    'for wheel in sys.argv[2:]:',
    '  with zipfile.ZipFile(wheel) as z:',
    '    for m in z.namelist():',
    "      parts = m.split('/')",
    "      if len(parts) == 4 and parts[0] == 'nvidia' and parts[2] == 'lib' and parts[3]:",
    '        target = os.path.join(deps, m)',
    '        os.makedirs(os.path.dirname(target), exist_ok=True)',
    "        with z.open(m) as src, open(target, 'wb') as dst: shutil.copyfileobj(src, dst)",
  ].join('\n');
  await runTool('CUDA libraries', 'python3', ['-c', script, join(packageDir, 'deps'), ...wheels]);
}

/** Compiles the addon against the running node's headers; returns its Node-API version. */
async function compileAddon(packageDir: string, log: (line: string) => void): Promise<number> {
  log('node-pre-gyp install --build-from-source');
  const nodePreGyp = require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp', {
    paths: [packageDir],
  });
  await runTool(
    'addon build',
    process.execPath,
    [nodePreGyp, 'install', '--build-from-source', `--nodedir=${nodeDir()}`],
    { cwd: packageDir, env: addonBuildEnv(process.env, nodeDir()) },
  );
  const napiVersion = await builtNapiVersion(packageDir);
  // node-pre-gyp builds in build-tmp-napi-v<N>/; node-gyp recorded the headers it used there.
  const buildDir = join(packageDir, `build-tmp-napi-v${napiVersion}`);
  const configured = configuredNodeDir(await readFile(join(buildDir, 'config.gypi'), 'utf8'));
  if (configured !== nodeDir()) {
    throw new NativeSetupError(
      `addon build: compiled with the Node.js headers of ${configured}, not those of the running ${process.version} (${nodeDir()})`,
    );
  }
  // Headers and objects only serve the compile; the addon needs deps/lib and lib/ at run time.
  await rm(join(packageDir, 'deps', 'include'), { recursive: true, force: true });
  await rm(buildDir, { recursive: true, force: true });
  return napiVersion;
}

/**
 * Loads the build in a fresh node through the worker's own loader (`check-native`), which
 * computes with it and prints TensorFlow's version.
 */
async function verifyLoad(
  root: string,
  variant: NativeVariant,
): Promise<{ tensorflowVersion: string }> {
  const main = join(__dirname, '..', 'src', 'main.ts');
  const out = await runTool('load check', 'sh', [
    '-c',
    `GBI_NATIVE_DIR="$0" exec "$1" --import tsx "$2" check-native --variant "$3"`,
    root,
    process.execPath,
    main,
    variant,
  ]);
  const version = /on TensorFlow (\S+),/.exec(out)?.[1];
  if (version === undefined)
    throw new NativeSetupError(`load check: unexpected output: ${out.trim()}`);
  return { tensorflowVersion: version };
}
