#pragma once
// The 10x10 confusion matrix as a heatmap: rows are true labels, columns
// predicted ones. Each cell shows its count (or its share of the row, with
// normalised percentages on). The colour always encodes the row share on a
// log scale from 0.1% to 100%, so that a handful of confusions among a
// thousand correct answers is still visible; the legend on the right shows
// the scale. Clicking a cell emits cellClicked(true, predicted).
//
// Keyboard: the view takes focus; a current cell (drawn in the palette's
// highlight colour while the keyboard is in use) moves with the arrow keys, Home/End (first
// and last column; with Ctrl the first and last cell), PgUp/PgDn (first and
// last row); Enter or Space opens it exactly as a click does. Assistive
// technology sees a 10x10 table (confusion_accessible.cpp) whose cells say
// what they show and what it means (cellAccessibleText/cellDescription).
#include <nn/metrics.h>

#include <QWidget>

#include <array>

namespace app {

class ConfusionView : public QWidget {
    Q_OBJECT
public:
    using Matrix = std::array<std::array<int, nn::kClasses>, nn::kClasses>;  // [true][predicted]

    explicit ConfusionView(QWidget* parent = nullptr);

    void setConfusion(const Matrix& m);
    void clear();
    const Matrix& confusion() const { return m_m; }
    bool hasData() const { return m_total > 0; }

    void setNormalized(bool rowPercentages);
    bool normalized() const { return m_normalized; }
    void setSelectedCell(int trueLabel, int predicted);  // (-1, -1) clears
    int selectedTrue() const { return m_selTrue; }
    int selectedPredicted() const { return m_selPred; }
    // The keyboard's current cell (always inside the grid). Moving it tells
    // assistive technology (a Focus event for the cell's accessible child).
    void setCurrentCell(int trueLabel, int predicted);
    int currentTrue() const { return m_curTrue; }
    int currentPredicted() const { return m_curPred; }
    // Opens a cell as a click does: selects it and emits cellClicked.
    // Nothing happens without data.
    void activateCell(int trueLabel, int predicted);

    // Where a cell is drawn, in widget coordinates (empty when the widget is too small).
    QRect cellRect(int trueLabel, int predicted) const;
    // The text a cell shows (what paintEvent draws): its count, or with row
    // percentages its share of the row, "100%" only when the whole row is
    // that cell (977 of 980 is "99.7%") and "<0.1%" for a tiny share; ""
    // for an empty cell. `narrow` drops the % sign.
    QString cellText(int trueLabel, int predicted, bool narrow = false) const;
    // What a screen reader reads for a cell: the text shown, "0" for an
    // empty cell ("" without data).
    QString cellAccessibleText(int trueLabel, int predicted) const;
    // The sentence that explains it: "True 3, predicted 5: 12 images, 1.2% of
    // the 3s" ("" without data).
    QString cellDescription(int trueLabel, int predicted) const;
    // Header names: "true 3" (a row), "predicted 5" (a column).
    static QString rowHeaderText(int trueLabel);
    static QString columnHeaderText(int predicted);
    // The cell at a point, or false when the point is outside the grid.
    bool cellAt(QPoint pos, int* trueLabel, int* predicted) const;
    // The colour scale: share of the row (0..1) -> colour. Exposed for the legend and tests.
    static QColor colorFor(double rowShare);
    // The widget drawn into an image of the given size (its own size when empty).
    QImage renderImage(QSize size = {}, qreal devicePixelRatio = 2.0) const;

    QSize sizeHint() const override { return {560, 500}; }
    QSize minimumSizeHint() const override { return {300, 260}; }

signals:
    void cellClicked(int trueLabel, int predicted);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool event(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    struct Geometry {
        QRect grid;
        int cell = 0;
        QRect legend;  // the colour bar
    };
    Geometry geometry() const;
    double rowShare(int t, int p) const;

    Matrix m_m{};
    std::array<int, nn::kClasses> m_rowSum{};
    int m_total = 0;
    bool m_normalized = false;
    int m_selTrue = -1, m_selPred = -1;
    int m_curTrue = 0, m_curPred = 0;
    bool m_keyboard = false;  // the current cell is drawn while the keyboard is in use, not after a click
    int m_hoverTrue = -1, m_hoverPred = -1;
    int m_pressTrue = -1, m_pressPred = -1;
};

}  // namespace app
