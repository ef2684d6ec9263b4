#pragma once
// The augmentation settings as a form of spin boxes, one per
// nn::augmentFields() entry (a range's two ends share a row): the training
// panel's Augmentation group. Ranges, steps, labels and the papers in the
// tooltips all come from that table, as do the preview's sliders.
#include <nn/augment.h>

#include <QWidget>

#include <vector>

class QDoubleSpinBox;

namespace app {

class AugmentForm : public QWidget {
    Q_OBJECT
public:
    explicit AugmentForm(QWidget* parent = nullptr);

    // The values shown; `enabled` is left false (the group box owns it).
    nn::AugmentParams params() const;
    // Sets every field without emitting changed().
    void setParams(const nn::AugmentParams& p);
    // The spin box of field i of nn::augmentFields() (tests).
    QDoubleSpinBox* spin(int i) const { return m_spins[std::size_t(i)]; }

signals:
    void changed();

private:
    std::vector<QDoubleSpinBox*> m_spins;  // in nn::augmentFields() order
    bool m_setting = false;
};

}  // namespace app
