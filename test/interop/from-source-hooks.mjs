// Module resolution hooks (see from-source.mjs): a relative import of dist/<path>.js resolves to
// src/<path>.ts, which tsx then compiles.
const dist = new URL('../../dist/', import.meta.url).href;
const src = new URL('../../src/', import.meta.url).href;

export function resolve(specifier, context, next) {
  if (specifier.startsWith('.') && context.parentURL) {
    const url = new URL(specifier, context.parentURL).href;
    if (url.startsWith(dist) && url.endsWith('.js')) {
      return next(`${src}${url.slice(dist.length, -'.js'.length)}.ts`, context);
    }
  }
  return next(specifier, context);
}
