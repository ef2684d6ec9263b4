#pragma once
// What assistive technology sees of a ConfusionView: a table of 10x10 cells
// (children 0..99, row-major: child t*10+p is true t, predicted p), then the
// ten column headers ("predicted 0".."predicted 9", children 100..109) and
// the ten row headers ("true 0".."true 9", children 110..119). Without data
// the table has no rows or columns. A cell's name is what it shows, its
// description the sentence ConfusionView::cellDescription gives; its "press"
// action opens it as a click does.
#include <nn/metrics.h>

namespace app {

class ConfusionView;

// Registers the factory with QAccessible (once; later calls do nothing).
void installConfusionAccessibility();
// The accessible child index of a data cell.
constexpr int confusionCellChild(int trueLabel, int predicted) { return trueLabel * nn::kClasses + predicted; }
// Tells assistive technology that the current cell moved (a Focus event for
// its child) or that the opened cell changed (a Selection event).
void notifyConfusionFocus(ConfusionView* view, int trueLabel, int predicted);
void notifyConfusionSelection(ConfusionView* view, int trueLabel, int predicted);
// The table's rows and columns appeared or went away (data set or cleared).
void notifyConfusionReset(ConfusionView* view);

}  // namespace app
