#pragma once
// DIGITPAD_UI_TEXT(context, text) is just `text`. It marks an engine label
// that the GUI shows (a preset's name, an augmentation field's label), so
// that the GUI's lupdate (app/CMakeLists.txt) collects it under `context`
// for translation; the GUI looks it up with QCoreApplication::translate
// (app/common/language.h: engineText). nn itself stays English and Qt-free.
#define DIGITPAD_UI_TEXT(context, text) text
