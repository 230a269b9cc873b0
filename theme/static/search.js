// Search the site's Pagefind index in the page (progressive enhancement).
// Without JavaScript, or when the index cannot load, the form keeps working
// as a web search limited to this site.
const form = document.querySelector("[data-search-form]");
if (form) start(form);

async function start(form) {
  let pagefind;
  try {
    pagefind = await import(form.dataset.base + "pagefind/pagefind.js");
    await pagefind.options({ baseUrl: form.dataset.base });
    await pagefind.init();
  } catch (error) {
    console.warn("search: the index did not load; the form searches the web instead", error);
    return;
  }
  const input = form.querySelector("input[type=search]");
  const selects = [...form.querySelectorAll("select[data-filter]")];
  const status = document.querySelector("[data-search-status]");
  const list = document.querySelector("[data-search-results]");
  for (const element of form.querySelectorAll("[data-web-only]")) {
    element.disabled = true;
    element.hidden = true;
  }
  const filters = form.querySelector("[data-search-filters]");
  if (filters) filters.hidden = false;
  input.required = false;
  form.removeAttribute("action");

  let latest = 0;
  async function run(updateUrl) {
    const query = input.value.trim();
    const chosen = {};
    for (const select of selects) if (select.value) chosen[select.dataset.filter] = select.value;
    if (updateUrl) {
      const params = new URLSearchParams();
      if (query) params.set("q", query);
      for (const [key, value] of Object.entries(chosen)) params.set(key, value);
      const text = params.toString();
      history.replaceState(null, "", text ? "?" + text : location.pathname);
    }
    const ticket = ++latest;
    if (!query && !Object.keys(chosen).length) {
      list.replaceChildren();
      list.hidden = true;
      status.textContent = "";
      return;
    }
    const search = await pagefind.search(query || null, { filters: chosen });
    const found = await Promise.all(search.results.slice(0, 30).map((r) => r.data()));
    if (ticket !== latest) return; // a newer search has started
    list.replaceChildren(...found.map(result));
    list.hidden = found.length === 0;
    const what = query ? ` for “${query}”` : "";
    const shown = search.results.length > found.length ? ` (showing the first ${found.length})` : "";
    status.textContent = search.results.length === 0
      ? `No articles found${what}.`
      : `${search.results.length} article${search.results.length === 1 ? "" : "s"} found${what}${shown}.`;
  }

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(true), 250);
  });
  for (const select of selects) select.addEventListener("change", () => run(true));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run(true);
  });

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const select of selects) {
    const wanted = params.get(select.dataset.filter);
    if (wanted && [...select.options].some((o) => o.value === wanted)) select.value = wanted;
  }
  form.dataset.ready = "true";
  await run(false);
}

function result(data) {
  const item = document.createElement("li");
  const article = document.createElement("article");
  article.className = "item";
  const heading = document.createElement("h2");
  heading.className = "item-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.textContent = [data.meta.date, data.meta.source].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "summary";
  excerpt.append(...excerptOf(data));
  article.append(heading, meta, excerpt);
  item.append(article);
  return item;
}

const EXCERPT_WORDS = 30;

// The excerpt under a result, from the indexed text after the title: the title is the
// result's heading already, and Pagefind's own excerpt often starts inside it and runs on
// into the body. Pagefind's match locations are word positions in `content` split at
// whitespace; the window starts a few words before the first match after the title.
function excerptOf(data) {
  const title = data.meta.title || "";
  const words = data.content.split(/\s+/);
  if (!title || !data.content.startsWith(title) || !Array.isArray(data.locations)) {
    return highlighted(data.excerpt);
  }
  const skip = title.split(/\s+/).length;
  const first = data.locations.find((i) => i >= skip);
  const start = first === undefined ? skip : Math.max(skip, Math.min(first - 5, words.length - EXCERPT_WORDS));
  const marked = new Set(data.locations);
  const nodes = [];
  if (start > skip) nodes.push(document.createTextNode("… "));
  words.slice(start, start + EXCERPT_WORDS).forEach((word, n) => {
    if (n > 0) nodes.push(document.createTextNode(" "));
    if (marked.has(start + n)) {
      const mark = document.createElement("mark");
      mark.textContent = word;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(word));
    }
  });
  if (start + EXCERPT_WORDS < words.length) nodes.push(document.createTextNode(" …"));
  return nodes;
}

// Pagefind's excerpt is HTML with <mark> around the matches: keep the text and
// the marks, nothing else (parsed inertly, never inserted as HTML).
function highlighted(html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  return [...doc.body.childNodes].map((node) => {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      return mark;
    }
    return document.createTextNode(node.textContent);
  });
}
