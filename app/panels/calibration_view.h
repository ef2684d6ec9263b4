#pragma once
// Reliability diagram: for each confidence bin, a bar as tall as the bin's
// accuracy next to the diagonal of perfect calibration, the gap to the bin's
// mean confidence shaded red, the expected calibration error in the title,
// and below it how many samples fall in each bin (log scale). With the
// model's temperature (nn/notdigit.h), the title also gives the ECE after
// temperature scaling.
#include <nn/calibration.h>

#include <QWidget>

namespace app {

class CalibrationView : public QWidget {
    Q_OBJECT
public:
    explicit CalibrationView(QWidget* parent = nullptr);
    void setCalibration(const nn::Calibration& c);
    // The same samples after temperature scaling with `temperature`.
    void setScaled(const nn::Calibration& scaled, double temperature);
    void clearScaled();
    bool hasScaled() const { return m_scaledValid; }
    const nn::Calibration& scaled() const { return m_scaled; }
    QString title() const;
    void clear();
    const nn::Calibration& calibration() const { return m_cal; }
    QSize sizeHint() const override { return {380, 360}; }
    QSize minimumSizeHint() const override { return {220, 220}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    nn::Calibration m_cal;
    bool m_valid = false;
    nn::Calibration m_scaled;
    double m_temperature = 1;
    bool m_scaledValid = false;
};

}  // namespace app
