#pragma once
// "My digits": the person's own drawings with labels (nn::UserDigitStore on
// disk), shown as thumbnails that can be relabelled (select, then press a
// digit key or "Relabel…") and deleted. The drawing pad adds to it through
// addImage()/addInput() or the ready-made label dialog addFromCanvas().
// The training panel takes its training and held-out parts from here.
#include <nn/data/userdigits.h>

#include <QImage>
#include <QString>
#include <QWidget>

#include <memory>
#include <utility>

class QLabel;
class QListWidget;
class QPushButton;

namespace app {

class UserDigitsPanel : public QWidget {
    Q_OBJECT
public:
    // Reads the store at once; a damaged store is reported in the panel and
    // refuses changes until it is moved aside (a button offers that).
    explicit UserDigitsPanel(const QString& directory = defaultDirectory(), QWidget* parent = nullptr);

    // appDataDir() + "/mydigits" (~/.local/share/DigitPad/mydigits).
    static QString defaultDirectory();

    const nn::UserDigitStore& store() const { return m_store; }
    int count() const { return m_store.size(); }
    bool isDamaged() const { return m_damaged; }
    QString lastError() const { return m_lastError; }
    QString lastRunText() const;  // what showLastRun() shows, empty when hidden

    // Entry points for the drawing pad. Return false (lastError() says why,
    // and errorOccurred() is emitted) when nothing was stored.
    // input: the preprocessed 28x28 network input, [0, 1], ink bright.
    bool addInput(const float* input, int label);
    // Any drawing (the canvas image): preprocessed exactly as for prediction
    // (darkInk as nn::PreprocessOptions::darkInk: -1 detect, 0 bright ink, 1 dark ink).
    bool addImage(const QImage& drawing, int label, int darkInk = -1);
    // Asks for the label (askLabel) and stores the drawing. Returns the label, or -1.
    int addFromCanvas(const QImage& drawing, int suggestedLabel = -1, QWidget* dialogParent = nullptr,
                      int darkInk = -1);
    // A small modal dialog: the drawing and ten digit buttons; a digit key
    // answers at once. Returns 0..9, or -1 when cancelled.
    static int askLabel(QWidget* parent, const QImage& preview, int suggestedLabel = -1);

    bool relabel(int index, int label);
    bool remove(int index);

    // (training part, held-out part) as the trainer takes them.
    std::pair<std::shared_ptr<const nn::Dataset>, std::shared_ptr<const nn::Dataset>> trainingSets() const;

    // The list's selection, as store indices (for tests and key handling).
    QList<int> selectedIndices() const;
    void selectIndex(int index);

public slots:
    void reload();
    // Shown under the list: what the last run did on the held-out digits and
    // on MNIST (app::myDigitsRunSummary); empty hides it.
    void showLastRun(const QString& summary);

signals:
    void changed(int count, int heldOut);
    void errorOccurred(const QString& message);

protected:
    void keyPressEvent(QKeyEvent* event) override;
    // Digit keys pressed in the list relabel (the list's own type-to-search
    // would otherwise take them).
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    bool handleKey(QKeyEvent* event);  // true when it relabelled or deleted
    void rebuild();
    bool fail(const QString& message);
    void relabelSelected();
    void deleteSelected();
    void moveDamagedAside();

    nn::UserDigitStore m_store;
    bool m_damaged = false;
    QString m_lastError;
    QListWidget* m_list = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_result = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_relabel = nullptr;
    QPushButton* m_delete = nullptr;
    QPushButton* m_moveAside = nullptr;
};

}  // namespace app
