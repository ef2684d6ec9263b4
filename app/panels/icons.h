#pragma once
// Toolbar icons drawn with QPainter at whatever size and device pixel ratio
// is asked for: sharp everywhere, in the palette's colours, and no
// dependency on the Qt SVG module or an icon theme.
#include <QIcon>

namespace app {

enum class Glyph { Pen, Eraser, Undo, Redo, Clear, Overlay, Polarity, OpenImage, AddDigit };

QIcon glyphIcon(Glyph glyph);

}  // namespace app
