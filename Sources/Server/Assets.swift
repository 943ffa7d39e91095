import Hummingbird

/// The page's only script: results as you type. The page works without it (a GET form).
enum Assets {
    static let searchJS = """
        (function () {
          "use strict";
          var form = document.getElementById("search-form");
          var results = document.getElementById("results");
          if (!form || !results || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;
          var timer = null, controller = null, last = null;
          function url() {
            var params = new URLSearchParams();
            new FormData(form).forEach(function (value, name) {
              if (typeof value === "string" && value.trim() !== "" && !(name === "sort" && value === "relevance")) params.append(name, value);
            });
            var query = params.toString();
            return query ? "/?" + query : "/";
          }
          function update() {
            var target = url();
            if (target === last) return;
            last = target;
            if (controller) controller.abort();
            controller = window.AbortController ? new AbortController() : null;
            fetch(target, { signal: controller ? controller.signal : undefined, headers: { Accept: "text/html" } })
              .then(function (r) { return r.text(); })
              .then(function (html) {
                var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("results");
                if (!fresh) return;
                results.replaceWith(fresh);
                results = fresh;
                history.replaceState(null, "", target);
              })
              .catch(function () {});
          }
          function later() { clearTimeout(timer); timer = setTimeout(update, 250); }
          form.addEventListener("input", later);
          form.addEventListener("change", later);
        })();

        """

    static func script() -> Response {
        Response(status: .ok, headers: [
            .contentType: "text/javascript; charset=utf-8",
            .cacheControl: "public, max-age=3600",
        ], body: .init(byteBuffer: ByteBuffer(string: searchJS)))
    }
}
