#pragma once
// The save-file dialog every export and "Save as" goes through: asks for a
// path, adds the filter's extension when the name has none, remembers the
// folder (when given a settings key), writes, and says why when writing failed.
#include <QString>

#include <functional>
#include <memory>

class QWidget;

namespace nn {
class Model;
}

namespace app {

// Writes the file at `path`; false with `error` set when it could not.
using SaveWriter = std::function<bool(const QString& path, QString* error)>;

struct SaveRequest {
    QString title;     // of the dialog and of the failure message
    QString fileName;  // suggested name
    QString filter;    // "PNG images (*.png)"; the first pattern's extension is the default
    QString dirKey;    // settings key of the folder to start in and remember; empty: none
};

// Writes `model` as a model file (nn::saveModel); its message on failure.
SaveWriter modelWriter(std::shared_ptr<const nn::Model> model);

// Asks for a path; empty when cancelled.
QString askSavePath(QWidget* parent, const SaveRequest& request);

// Asks, then writes with `write`; a failure is shown in a warning box.
// Returns the path written, or an empty string (cancelled or failed).
QString saveWithDialog(QWidget* parent, const SaveRequest& request, const SaveWriter& write);

}  // namespace app
