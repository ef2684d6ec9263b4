#pragma once
// The exact 28x28 input the network sees, magnified with square pixels
// (nearest neighbour) so a person can count them, with a faint pixel grid and
// the centre the preprocessing puts the ink's centre of mass on.
#include <nn/preprocess.h>

#include <QImage>
#include <QWidget>

namespace app {

class InputPreview : public QWidget {
    Q_OBJECT

public:
    explicit InputPreview(QWidget* parent = nullptr);

    // The 28x28 input as a grey image (white ink on black), or null when empty.
    const QImage& inputImage() const { return m_image; }
    const QString& caption() const { return m_caption; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public slots:
    // caption: a short line under the image (e.g. the worker's timing).
    void setInput(const nn::PreprocessResult& result, const QString& caption = {});

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QRect imageRect() const;
    const QImage& magnified(int cell);

    QImage m_image;      // 28x28
    QImage m_magnified;  // m_image blown up with its pixel grid, built once per input and size
    int m_magnifiedCell = 0;
    QString m_caption;
};

}  // namespace app
