#pragma once
// The left half of the training page: the model (new or fine-tuned, preset,
// spec), the training settings, augmentation and data. The numeric settings
// are built from one field table (object name, label, range, step, tooltip,
// TrainingSettings member), augmentation from nn::augmentFields(); what the
// form shows is a TrainingSettings. It knows nothing about runs: the panel
// validates the spec and fills in the labels.
#include "training_settings.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QRadioButton;
class QSpinBox;

namespace app {

class AugmentForm;

class TrainingForm : public QWidget {
    Q_OBJECT
public:
    explicit TrainingForm(QWidget* parent = nullptr);

    // What the form shows. `spec` is the from-scratch spec even while
    // fine-tuning shows the current model's. setSettings emits nothing.
    TrainingSettings settings() const;
    void setSettings(const TrainingSettings& s);
    nn::AugmentParams augmentParams() const;
    void setAugmentParams(const nn::AugmentParams& p);  // emits nothing
    void setSeed(quint64 seed);  // as typed in: emits seedChanged and edited

    bool fineTune() const;
    QString specText() const;  // as typed (or the current model's while fine-tuning)
    float dropout() const;     // -1: the rates in the spec
    bool useMnist() const;
    bool includeUserDigits() const;
    bool follow() const;
    void setFollow(bool on);

    // Filled in by the panel.
    void showSpec(const QString& error, bool fineTune);  // the error under the spec (empty: none)
    void setSpecInfo(const QString& text);
    void showModelSpec(const QString& spec);             // fine-tuning: the current model's
    void setFineTuneAvailable(bool available);
    void setPresetEnabled(bool enabled);
    void setMnistText(const QString& text, bool found);
    void setUserDigitsText(const QString& text, bool available);

signals:
    void specEdited();      // spec text, new/fine-tune or dropout: validate again
    void numbersEdited();   // batch, epochs, validation, early stop, seed, threads
    void dataEdited();      // MNIST or my digits switched
    void augmentEdited();
    void seedChanged(quint64 seed);
    void followToggled(bool on);
    void edited();          // any of the above, and optimizer, learning rate...: save the settings

private:
    void applyPreset(int index);
    void syncPreset();

    QRadioButton* m_fromScratch = nullptr;
    QRadioButton* m_fineTune = nullptr;
    QComboBox* m_preset = nullptr;
    QLineEdit* m_spec = nullptr;
    QLabel* m_specError = nullptr;
    QLabel* m_specInfo = nullptr;
    QComboBox* m_optimizer = nullptr;
    QComboBox* m_schedule = nullptr;
    // The numeric fields, in the table's order.
    std::vector<QDoubleSpinBox*> m_doubles;
    std::vector<QSpinBox*> m_ints;
    QGroupBox* m_augment = nullptr;
    AugmentForm* m_augmentForm = nullptr;
    QLabel* m_mnistLabel = nullptr;
    QCheckBox* m_useMnist = nullptr;
    QCheckBox* m_includeUser = nullptr;
    QCheckBox* m_follow = nullptr;
    QString m_scratchSpec;  // the spec text while "fine-tune" shows the current model's
};

}  // namespace app
