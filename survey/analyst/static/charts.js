// PNG downloads of the workbench's charts. Each chart has an SVG link whose data URL is the chart's
// standalone file; this script adds a PNG button beside it that draws that file on a canvas at twice
// its size and saves the canvas. Without JavaScript the SVG link still works.
(function () {
  "use strict";
  var SCALE = 2;

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function png(source) {
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = image.naturalWidth * SCALE;
      canvas.height = image.naturalHeight * SCALE;
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        save(blob, source.getAttribute("download").replace(/\.svg$/, ".png"));
      }, "image/png");
    };
    image.src = source.href;
  }

  document.querySelectorAll("a.svg-download").forEach(function (source) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "png-download";
    button.textContent = source.getAttribute("data-png");
    var named = document.createElement("span");  // read aloud, not shown: which chart this saves
    named.className = "sr-only";
    named.textContent = " – " + source.getAttribute("data-title");
    button.appendChild(named);
    button.addEventListener("click", function () { png(source); });
    source.after(button);
  });
})();
