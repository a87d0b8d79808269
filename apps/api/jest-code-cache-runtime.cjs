'use strict';
// A Jest runtime that stops every test file from paying again for the modules the one before it
// loaded in the same worker. Jest gives each test file a fresh module registry, so each file loads
// the application's modules (and NestJS, MikroORM, Bull, react-pdf...) again: ~3,000 modules, ~1.6 s
// of CPU per integration file spent before its first test. Two parts of that are repeated work:
//
// - Compiling. Each module is compiled as a `vm.Script`; when a test file ends, V8's code cache of
//   each script (every function the file ran) is kept for the worker's life. The next file hands it
//   to V8 with the same source and V8 skips parsing and compiling.
// - Reading. Jest reads each module's file before asking its transformer, which keeps the
//   transformed code per worker (by path and modification time) and reads the file itself when
//   that misses. Here the transformer is asked first.
//
// Same source, same filename, same line numbers: stack traces and source maps do not change.
// Anything the cache cannot take (a syntax error, an ES module Jest must retry) goes through Jest's
// own compile, unchanged. It leans on jest-runtime's internals (the version in package-lock.json)
// and says so at once if they change.
const { Script } = require('node:vm');
const Runtime = require('jest-runtime').default;

/** filename → the transformed source and V8's code cache for it (this worker's whole life). */
const codeCache = new Map();

class CodeCacheRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    const { executor, transformCache } = this;
    if (typeof executor?.compile !== 'function' || typeof transformCache?.scriptTransformer?.transform !== 'function') {
      throw new Error('apps/api/jest-code-cache-runtime.cjs: jest-runtime changed (no executor.compile or transformCache.scriptTransformer); update this runtime or remove it from jest.preset.ts');
    }

    const jestCompile = executor.compile.bind(executor);
    /** Scripts this test file compiled without a cache: cached when it ends. */
    const uncached = (this.uncachedScripts = []);
    executor.compile = (source, filename) => {
      const context = executor.environment.getVmContext();
      if (context == null) return null;
      const known = codeCache.get(filename);
      // The source itself is compared: V8 checks only its length before it trusts a cache.
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

    // As TransformCache.transform, without reading the file first: the transformer reads it when
    // its own cache misses.
    transformCache.transform = (filename, options) => {
      if (options?.isInternalModule) return transformCache.fileCache.readFile(filename);
      const file = transformCache.scriptTransformer.transform(filename, transformCache.getFullTransformationOptions(options));
      transformCache.transforms.set(filename, file);
      if (file.sourceMapPath) transformCache.sourceMaps.set(filename, file.sourceMapPath);
      return file.code;
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
