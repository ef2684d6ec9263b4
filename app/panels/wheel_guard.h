#pragma once
// Scrolling a form with the mouse wheel must not change the values it passes
// over: spin boxes, combo boxes and sliders under `root` take the wheel only
// once they have the keyboard focus (a click or Tab); otherwise the wheel
// goes on to the scroll area around them.
class QWidget;

namespace app {

void takeWheelOnlyWhenFocused(QWidget* root);

}  // namespace app
