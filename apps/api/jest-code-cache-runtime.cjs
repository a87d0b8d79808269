'use strict';
// A Jest runtime that keeps V8's code cache of the modules it compiles, for the life of the worker.
//
// Jest gives every test file a fresh module registry, so each file compiles the application's
// modules (and NestJS, MikroORM, Bull, react-pdf...) again from source: ~0.5 s of CPU per
// integration file. This runtime compiles each module as a `vm.Script`, and when a test file ends
// it asks V8 for the script's code cache, which then holds every function the file ran. The next
// file in the same worker hands that cache to V8 with the same source, and V8 skips parsing and
// compiling. Same source, same filename, same line numbers: stack traces and source maps do not
// change. Anything the cache cannot take (a syntax error, an ES module Jest must retry) goes
// through Jest's own compile, unchanged.
const { Script } = require('node:vm');
const Runtime = require('jest-runtime').default;

/** filename → the transformed source and V8's code cache for it (this worker's whole life). */
const codeCache = new Map();

class CodeCacheRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const executor = this.executor;
    const jestCompile = executor.compile.bind(executor);
    /** Scripts this test file compiled without a cache: cached when it ends. */
    const uncached = [];
    this.uncachedScripts = uncached;
    executor.compile = (source, filename) => {
      const context = executor.environment.getVmContext();
      if (context == null) return null;
      const known = codeCache.get(filename);
      const cachedData = known !== undefined && known.source === source ? known.data : undefined;
      let script;
      try {
        // The wrapper sits on a line of its own, numbered -1: the module's lines keep their numbers.
        script = new Script(`(function (${executor.injectedModuleParameters.join(', ')}) {\n${source}\n})`, {
          filename,
          lineOffset: -1,
          cachedData,
          importModuleDynamically: (specifier, _script, attributes, ...rest) =>
            executor.dynamicImport(specifier, filename, context, attributes, rest[0]),
        });
      } catch {
        return jestCompile(source, filename);
      }
      if (cachedData === undefined || script.cachedDataRejected) uncached.push({ filename, source, script });
      return script.runInContext(context);
    };
  }

  teardown() {
    for (const { filename, source, script } of this.uncachedScripts.splice(0)) {
      codeCache.set(filename, { source, data: script.createCachedData() });
    }
    super.teardown();
  }
}

module.exports = CodeCacheRuntime;
