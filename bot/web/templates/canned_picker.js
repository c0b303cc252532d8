// The canned-reply picker: search above the reply box, or "/name" typed in it; Enter (or a
// click) puts the reply filled in for this case's customer in the box, to edit and send; its
// photo or document (if it has one) is sent after the words.
(() => {
  const box = document.getElementById("reply-text");
  const attached = document.getElementById("canned-attachment");
  const search = document.getElementById("canned-search");
  const list = document.getElementById("canned-list");
  const problem = document.getElementById("canned-error");
  if (!box || !search) return;
  const SLASH = /^\/(\S*)$/;
  let shown = [], active = 0, asked = 0;

  async function lookup(query) {
    const mine = ++asked;
    const response = await fetch("/api/canned?q=" + encodeURIComponent(query));
    const found = response.ok ? await response.json() : [];
    if (mine !== asked) return null;  // a later keystroke asked again: its answer wins
    const q = query.toLowerCase();
    // Names that start with what was typed first, then other names, then text matches.
    const rank = (c) => (c.name.startsWith(q) ? 0 : c.name.includes(q) ? 1 : 2);
    return found.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  }

  function render() {
    list.replaceChildren(...shown.map((c, i) => {
      const item = document.createElement("li");
      const first = Object.values(c.variants)[0] || "";
      item.textContent = `${c.name} · ${Object.keys(c.variants).join(", ")} — ${first.slice(0, 60)}`;
      item.dataset.name = c.name;
      item.setAttribute("role", "option");
      if (i === active) item.className = "active";
      item.addEventListener("mousedown", (event) => { event.preventDefault(); choose(c.name); });
      return item;
    }));
    list.hidden = shown.length === 0;
  }

  async function show(query) {
    const found = await lookup(query);
    if (found === null) return;
    shown = found; active = 0; render();
  }

  function hide() { shown = []; list.hidden = true; }

  async function choose(name) {
    hide();
    const response = await fetch(`/api/cases/{{ case.number }}/canned/${encodeURIComponent(name)}`);
    const body = await response.json();
    if (!response.ok) {
      problem.textContent = body.detail;
      problem.hidden = false;
      return;
    }
    // The reply's file goes after the words when they are sent (the server sends it by name).
    attached.value = body.attachment ? body.name : "";
    problem.textContent = body.attachment ? `Its ${body.attachment.kind} is sent after the text.` : "";
    problem.hidden = !body.attachment;
    search.value = "";
    box.value = body.text;
    box.focus();
  }

  function move(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (list.hidden) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      active = (active + step + shown.length) % shown.length;
      render();
    } else if (event.key === "Escape") {
      hide();
    }
  }

  search.addEventListener("focus", () => show(search.value));
  search.addEventListener("input", () => show(search.value));
  search.addEventListener("blur", () => setTimeout(hide, 150));
  search.addEventListener("keydown", async (event) => {
    move(event);
    if (event.key !== "Enter") return;
    event.preventDefault();  // never submits the reply form
    if (list.hidden) await show(search.value);
    if (shown.length) await choose(shown[active].name);
  });
  box.addEventListener("input", () => {
    if (!box.value.trim()) { attached.value = ""; problem.hidden = true; }  // started over
    const typed = box.value.match(SLASH);
    if (typed) show(typed[1]); else hide();
  });
  box.addEventListener("keydown", async (event) => {
    move(event);
    const typed = box.value.match(SLASH);
    if (event.key !== "Enter" || !typed) return;
    event.preventDefault();
    if (list.hidden) await show(typed[1]);
    if (shown.length) await choose(shown[active].name);
  });
})();
