"""Open geo-sites layers in QGIS and report what QGIS sees, as JSON on stdout.

Run by ``test_qgis.py`` with the system Python that has ``qgis.core``
(Debian's python3-qgis): ``/usr/bin/python3 check_layers.py IMAGE URI...``.
Each layer is also drawn, with its default style, into IMAGE (a PNG).
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    QgsApplication,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

app = QgsApplication([], False)
app.initQgis()
image_path, uris = sys.argv[1], sys.argv[2:]
report = []
layers = []
for uri in uris:
    layer = QgsVectorLayer(uri, "sites", "ogr")
    message, styled = layer.loadDefaultStyle()
    renderer = layer.renderer()
    categories = renderer.categories() if renderer.type() == "categorizedSymbol" else []
    report.append(
        {
            "uri": uri,
            "valid": layer.isValid(),
            "features": layer.featureCount(),
            "crs": layer.crs().authid(),
            "geometry": QgsWkbTypes.displayString(layer.wkbType()),
            "shapes": sorted(
                {
                    QgsWkbTypes.displayString(f.geometry().wkbType())
                    for f in layer.getFeatures()
                    if f.hasGeometry()
                }
            ),
            "fields": {f.name(): f.typeName() for f in layer.fields()},
            "styled": styled,
            "renderer": renderer.type(),
            "attribute": renderer.classAttribute() if categories else None,
            "categories": {c.value(): c.symbol().color().name() for c in categories},
            "labels": layer.labelsEnabled() and layer.labeling().settings().fieldName,
            "symbol_layers": sorted(
                {sl.layerType() for c in categories for sl in c.symbol().symbolLayers()}
            ),
        }
    )
    # The areas the style's geometry generator makes, by feature id (small layers only).
    generators = [sl for c in categories for sl in c.symbol().symbolLayers()
                  if sl.layerType() == "GeometryGenerator"][:1]  # fmt: skip
    if generators and layer.featureCount() <= 50:
        expression = QgsExpression(generators[0].geometryExpression())
        context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        areas = {}
        for feature in layer.getFeatures():
            context.setFeature(feature)
            shape = expression.evaluate(context)
            if shape is not None and not shape.isNull():
                areas[feature.id()] = shape.asWkt(4)
        report[-1]["areas"] = areas
    layers.append(layer)
settings = QgsMapSettings()
settings.setLayers(layers)
settings.setDestinationCrs(layers[0].crs())
extent = layers[0].extent()
extent.scale(1.3)
settings.setExtent(extent)
settings.setOutputSize(QSize(800, 500))
settings.setBackgroundColor(QColor("white"))
job = QgsMapRendererSequentialJob(settings)
job.start()
job.waitForFinished()
image = job.renderedImage()
image.save(image_path)
pixels = [image.pixelColor(x, y).name() for x in range(0, 800, 2) for y in range(0, 500, 2)]
painted = sum(p != "#ffffff" for p in pixels) / len(pixels)  # the share of the map drawn on
common = max(set(pixels) - {"#ffffff"}, key=pixels.count, default=None)  # the broadest fill
print(
    json.dumps(
        {"layers": report, "colours": sorted(set(pixels)), "painted": painted, "common": common}
    ),
    flush=True,
)
os._exit(0)  # QGIS 3.22 can crash while tearing down; the report is out
