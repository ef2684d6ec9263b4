#pragma once
// The ten class probabilities as bars, with the answer on top: the top digit
// large with its probability; "Draw a digit" when the canvas is empty;
// "Unsure" with the two best candidates when the top probability is below
// kUnsureBelow; "Not a digit" (the bars still shown, dimmed) when the
// model's not-a-digit score says so (nn::readDigit; the decision is not
// made here). Painted directly: one cheap repaint per prediction.
#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include <array>

namespace app {

class ProbabilityView : public QWidget {
    Q_OBJECT

public:
    // NotFinite: the model's output held NaN or infinity -- no answer to show.
    // NotADigit: the model scored the input as no digit; the probabilities are kept.
    enum class State { Empty, NoModel, NotFinite, Confident, Unsure, NotADigit };
    static constexpr float kUnsureBelow = 0.5f;
    // Between kUnsureBelow and this the answer is shown as "likely", not
    // "confident": 50.9% is a coin toss with a favourite.
    static constexpr float kConfidentFrom = 0.9f;

    explicit ProbabilityView(QWidget* parent = nullptr);

    State state() const { return m_state; }
    int topDigit() const { return m_top; }
    int secondDigit() const { return m_second; }
    const std::array<float, 10>& probabilities() const { return m_probs; }
    // The headline as text, for tests and accessibility ("7 98.2%", "Unsure: 4 or 9", ...).
    QString summary() const;
    // The word under the probability: "confident" (from kConfidentFrom),
    // "likely" (below it) or "Unsure - keep drawing"; empty without an answer.
    QString caption() const;
    // Assistive technology reads summary() as the accessible description,
    // updated (and so announced) at most once per kAnnounceMs, the newest
    // state last.
    static constexpr int kAnnounceMs = 1000;

    QSize sizeHint() const override { return {320, 300}; }
    QSize minimumSizeHint() const override { return {220, 200}; }

public slots:
    void setEmpty();
    void setNoModel();
    void setNotFinite();
    void setProbabilities(const std::array<float, 10>& probabilities);
    // The probabilities of an input that is not a digit: shown dimmed under "Not a digit".
    void setNotADigit(const std::array<float, 10>& probabilities);

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRect barsRect() const;
    QRect barRect(int digit) const;  // the full-height slot of one bar
    void refreshAccessibility();
    void announce();
    void takeProbabilities(const std::array<float, 10>& probabilities);

    State m_state = State::Empty;
    std::array<float, 10> m_probs{};
    int m_top = -1, m_second = -1;
    QElapsedTimer m_announced;  // since the last accessible description change
    QTimer m_announce;          // the pending one
};

}  // namespace app
