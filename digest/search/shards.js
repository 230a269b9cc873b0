// The site's search index, published by digest as /pagefind/pagefind.js: one Pagefind
// bundle per shard of the articles (digest/shards.py), merged into one search with
// Pagefind's multisite support. The first bundle is the primary instance, mergeIndex
// adds the others. It offers the interface of a bundle's own pagefind.js (options,
// then init; search, debouncedSearch, preload, filters, destroy), so a page searches
// the whole site by importing this one file.
//
// The list of bundles is fetched afresh each time, past the HTTP cache (as Pagefind fetches
// its entry file): a cached list could name bundles that a later build removed, and a
// revalidated one can pass for fresh when two builds fall within one second.
const folder = new URL(".", import.meta.url);
let settings = {};
let loading = null;

function load() {
  loading ??= start();
  return loading;
}

async function start() {
  const response = await fetch(new URL("shards.json", folder), { cache: "no-store" });
  if (!response.ok) throw new Error(`search index: shards.json answered ${response.status}`);
  const { bundles } = await response.json();
  if (!bundles.length) return null;
  const primary = await import(new URL(`${bundles[0]}pagefind.js`, folder).href);
  await primary.options(settings);
  await primary.init();
  // Every shard gets the same options, so all rank and link their results alike.
  await Promise.all(bundles.slice(1).map((bundle) =>
    primary.mergeIndex(new URL(bundle, folder).pathname, { ...settings })));
  return primary;
}

function nothing() {
  return { results: [], unfilteredResultCount: 0, filters: {}, totalFilters: {},
           timings: { preload: 0, search: 0, total: 0 } };
}

// Options for every shard; set them before the first search (as with Pagefind, later
// ones reach the primary bundle only). Where the bundles are is this file's business.
export async function options(more) {
  const { basePath, ...rest } = more || {};
  settings = { ...settings, ...rest };
  if (loading) (await loading)?.options(rest);
}

export async function init() {
  await load();
}

export async function search(term, opts) {
  const pagefind = await load();
  return pagefind ? pagefind.search(term, opts) : nothing();
}

export async function debouncedSearch(term, opts, ms) {
  const pagefind = await load();
  return pagefind ? pagefind.debouncedSearch(term, opts, ms) : nothing();
}

export async function preload(term, opts) {
  const pagefind = await load();
  if (pagefind) await pagefind.preload(term, opts);
}

export async function filters() {
  const pagefind = await load();
  return pagefind ? pagefind.filters() : {};
}

export async function mergeIndex(path, opts) {
  const pagefind = await load();
  if (pagefind) await pagefind.mergeIndex(path, opts);
}

export async function destroy() {
  const pagefind = loading && (await loading.catch(() => null));
  loading = null;
  settings = {};
  if (pagefind) await pagefind.destroy();
}
