/**
 * The Node.js headers the addon compiles against must be the running node's. node-gyp takes
 * them from npm_config_nodedir (matched in any case) over its own --nodedir argument, and npm
 * exports that variable to every script from an .npmrc's `nodedir` (machine-wide ones set it to
 * the system node's /usr): under `npm run setup:native` on another Node.js, the addon would be
 * compiled with the system node's headers. So the build's environment names the running node.
 */
export function addonBuildEnv(env: NodeJS.ProcessEnv, nodeDir: string): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(([key]) => !/^npm_config_nodedir$/i.test(key));
  return { ...Object.fromEntries(kept), npm_config_nodedir: nodeDir };
}

/** The headers folder node-gyp configured a build with, from its build/config.gypi. */
export function configuredNodeDir(configGypi: string): string | undefined {
  return /"nodedir": "([^"]*)"/.exec(configGypi)?.[1];
}
