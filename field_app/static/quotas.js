/* Quotas and the export of unsynced interviews. A quota cell is one answer ("sex" = "F") or a
   crossing of several ("age_group:education" = "18-24:low", as weighting targets are written);
   the tablet adds its own pending interviews to the server's counts, so the interviewer knows
   whom to look for next even after hours offline. */
(function (root) {
  "use strict";
  var DB = root.FieldDB, Sync = root.FieldSync, UI = root.FieldUI, I18n = root.FieldI18n, t = I18n.t;
  var h = UI.h;

  function now() { return new Date().toISOString(); }

  /* [[question, choice], ...] of a cell; one pair for a single-question cell. */
  function parts(cell) {
    var questions = String(cell.variable).split(":"), choices = String(cell.category).split(":");
    return questions.map(function (q, i) { return [q, choices[i]]; });
  }
  function inCell(clean, cell) {
    return parts(cell).every(function (p) { return clean && clean[p[0]] !== undefined && String(clean[p[0]]) === p[1]; });
  }

  /* Each cell with this tablet's pending interviews added: still needed, or how far past its target
     (two tablets offline may both fill the last place; both interviews count, the overshoot shows).
     Most needed first; cells reached, then over target, last; ties keep the server's order. */
  function rows(cells, mine) {
    return cells.map(function (cell, i) {
      var local = mine.filter(function (r) { return inCell(r.clean, cell); }).length, total = cell.done + local;
      return { cell: cell, local: local, left: Math.max(0, cell.target - total), over: Math.max(0, total - cell.target), i: i };
    }).sort(function (a, b) { return (b.left - a.left) || (a.over - b.over) || (a.i - b.i); });
  }

  function view(c, session, back) {
    var key = "quotas:" + c.slug;
    var load = navigator.onLine ? UI.api(session, "/field/api/consultations/" + encodeURIComponent(c.slug) + "/quotas")
      .then(function (cells) { var data = { at: now(), cells: cells }; return DB.put("kv", data, key).then(function () { return data; }); })
      .catch(function () { return DB.get("kv", key); }) : DB.get("kv", key);
    return Promise.all([load, DB.all("interviews")]).then(function (got) {
      var data = got[0] || { cells: [] }, mine = got[1].filter(function (r) {
        return r.status === "pending" && r.kind === "interview" && r.consultation === c.slug;
      });
      UI.show(h("section", { class: "card" }, h("h2", { text: t("quota.title") }),
        h("p", { class: "small", text: data.at ? t("quota.asOf", { at: new Date(data.at).toLocaleString(I18n.lang()) }) : t("quota.never") }),
        h("table", { id: "quotas" },
          h("caption", { class: "small", text: c.slug }),
          h("tr", {}, ["quota.cell", "quota.done", "quota.here", "quota.target", "quota.left"].map(function (k) {
            return h("th", { scope: "col", text: t(k) });
          })),
          rows(data.cells, mine).map(function (row) {
            var cell = row.cell, state = row.over ? "over" : row.left === 0 ? "full" : "";
            /* In words, in the interviewer's language, when the server sent them ("Woman, 65+"). */
            var words = cell.labels || {};
            var label = words[I18n.lang()] || words.en || parts(cell).map(function (p) { return p[0] + " = " + p[1]; }).join(" × ");
            var shown = row.over ? "+" + row.over + " · " + t("quota.over") : row.left === 0 ? "0 · " + t("quota.full") : String(row.left);
            return h("tr", { class: state, "data-cell": cell.variable + "=" + cell.category },
              h("td", { text: label }), h("td", { text: String(cell.done) }), h("td", { "data-local": "", text: String(row.local) }),
              h("td", { text: String(cell.target) }), h("td", { "data-left": "", text: shown }));
          })),
        h("p", { class: "small", id: "quotas-order", text: t("quota.order") }),
        h("button", { class: "big", id: "quotas-back", onclick: back, text: t("quota.back") })));
    });
  }

  function exportUnsynced(session) {
    return DB.all("interviews").then(function (all) {
      var items = all.filter(function (r) { return r.owner === session.interviewer_id && (r.status === "pending" || r.status === "rejected"); }).map(Sync.toItem);
      var file = { format: "civic-field-export/1", device_id: session.device_id, interviewer_id: session.interviewer_id,
        exported_at: now(), items: items };
      var url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 1)], { type: "application/json" }));
      var a = h("a", { href: url, download: "field-export-device" + session.device_id + "-" + now().slice(0, 19).replace(/:/g, "") + ".json" });
      document.body.appendChild(a); a.click(); a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      UI.banner(t("msg.exported", { n: items.length }));
    });
  }

  root.FieldQuotas = { view: view, exportUnsynced: exportUnsynced, inCell: inCell, rows: rows };
})(window);
