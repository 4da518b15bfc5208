// Set up the static-page Jupyter widget manager served by this book (see emergence/vendor.py).
// Loaded after require.js and before @jupyter-widgets/html-manager's embed-amd.js.
(function () {
  "use strict";
  var here = document.currentScript.src;
  var vendor = here.slice(0, here.lastIndexOf("/") + 1); // .../_static/vendor/

  // 1. The widget manager finds its fonts next to the URL that require.js gives its module;
  //    without this mapping that URL is relative to the page, and the fonts are not found.
  window.require.config({
    paths: { "@jupyter-widgets/html-manager/dist": vendor + "html-manager/dist" },
  });

  // 2. The widget manager typesets labels with the MathJax 2 API (MathJax.Hub.Queue), while
  //    the book loads MathJax 3. Give every MathJax 3 object a Hub.Queue that forwards to
  //    MathJax 3's typesetPromise, so labels are typeset instead of throwing a TypeError.
  function addHub(mathjax) {
    if (mathjax && mathjax.version && !mathjax.Hub) {
      mathjax.Hub = {
        Queue: function (command) {
          var element = command && command[2];
          if (typeof mathjax.typesetPromise === "function") {
            mathjax.typesetPromise(element ? [element] : undefined).catch(function () {});
          }
        },
      };
    }
    return mathjax;
  }
  var current = addHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    enumerable: true,
    get: function () { return current; },
    set: function (value) { current = addHub(value); },
  });

  // 3. ipywidgets' Image has no alt text: every explorer (emergence/widgets.py) carries its
  //    pictures' words in a hidden widget of class explorer-alt; they become the alt text of
  //    each of its pictures, with the slider's current label, so a screen reader can name them.
  function altText() {
    var pictures = document.querySelectorAll(".jupyter-widgets img");
    for (var i = 0; i < pictures.length; i++) {
      var box = pictures[i].closest(".widget-vbox");
      var words = box && box.querySelector(".explorer-alt");
      if (!words) continue;
      var readout = box.querySelector(".widget-readout");
      var alt = words.textContent.trim() + (readout ? " (" + readout.textContent.trim() + ")" : "");
      if (pictures[i].alt !== alt) pictures[i].alt = alt;
    }
  }
  new MutationObserver(altText).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true,
  });
})();
