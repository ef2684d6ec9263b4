#pragma once
// When the drawing is a number ("42", nn::readNumber found two digits or
// more): the number large, and each digit as a chip with its probability.
// The probability bars beside it show one digit's own probabilities: the one
// pointed at (a chip here, or the digit's box on the canvas), or by default
// the least certain one. Left/Right move between the chips by keyboard.
// Hidden while the drawing is a single digit.
#include <nn/number.h>

#include <QWidget>

namespace app {

class NumberView : public QWidget {
    Q_OBJECT

public:
    explicit NumberView(QWidget* parent = nullptr);

    // Shows `reading` (hidden when it has fewer than two digits).
    void setReading(const nn::NumberReading& reading);
    void clear();
    const nn::NumberReading& reading() const { return m_reading; }

    // The digit whose bars are shown: the pointed-at one, else the least certain.
    int shownDigit() const;
    // The least certain digit of a reading (-1 for none): the default.
    static int leastCertain(const nn::NumberReading& reading);
    // Points at digit `index` (-1: none), from the canvas or a chip.
    void setPointed(int index);
    int pointed() const { return m_pointed; }
    // The number as text, for tests and accessibility ("42: 4 99.1%, 2 93.8%").
    QString summary() const;
    // Which chip is at `pos` (-1: none).
    int chipAt(QPoint pos) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override { return sizeHint(); }

signals:
    // The digit whose bars should be shown changed.
    void shownDigitChanged(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    QRect chipRect(int index) const;
    void changed(int before);

    nn::NumberReading m_reading;
    int m_pointed = -1;
};

}  // namespace app
