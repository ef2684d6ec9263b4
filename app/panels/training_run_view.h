#pragma once
// The right half of the training page: Start / Pause / Resume / Stop /
// Continue checkpoint, the progress bar and status line, the result bar
// (keep, save, discard), the live curves and the timestamped log. It shows
// what it is told and reports clicks; the panel decides what they mean.
#include "workers/training_worker.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace app {

class CurvesPanel;

// "m:ss" or "h:mm:ss"; "–" for a negative or infinite time.
QString durationText(double seconds);

class TrainingRunView : public QWidget {
    Q_OBJECT
public:
    explicit TrainingRunView(QWidget* parent = nullptr);

    CurvesPanel* curves() const { return m_curves; }

    void setButtons(bool start, bool pause, bool resume, bool stop, bool continueRun);
    void setStopEnabled(bool enabled);
    void setContinueToolTip(const QString& text);

    void runStarting();  // a run is being started: progress at 0, no result bar
    void showStarted(const RunInfo& info);
    void showBatch(const nn::BatchReport& report, bool paused);
    void showEpoch(const nn::EpochReport& report);
    void showFinished(const TrainingOutcome& outcome, bool haveModel);
    void showFailed(const QString& message);
    void setStatus(const QString& text);
    void showPaused(bool paused);  // " · paused" after the status
    QString status() const;
    void hideResult();
    // A new run is about to start while the result bar still waits: asks
    // whether to use the finished run's model, discard it, or not start.
    enum class PendingAnswer { Use, Discard, Cancel };
    PendingAnswer askAboutResult();

    void appendLog(const QString& line);
    QString logText() const;
    bool saveLog(const QString& path, QString* error) const;

signals:
    void startClicked();
    void pauseClicked();
    void resumeClicked();
    void stopClicked();
    void continueClicked();
    void keepClicked();
    void saveClicked();
    void discardClicked();
    void saveLogClicked();

private:
    QPushButton* m_start = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_resume = nullptr;
    QPushButton* m_stop = nullptr;
    QPushButton* m_continue = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QWidget* m_resultBar = nullptr;
    QLabel* m_resultText = nullptr;
    CurvesPanel* m_curves = nullptr;
    QPlainTextEdit* m_log = nullptr;
};

}  // namespace app
