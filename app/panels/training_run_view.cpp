#include "training_run_view.h"

#include "curves_panel.h"
#include "training_plan.h"  // resultSummary

#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTime>
#include <QVBoxLayout>

#include <cmath>

namespace app {

QString durationText(double s)
{
    if (!(s >= 0) || !std::isfinite(s))
        return QStringLiteral("–");
    const qint64 t = qint64(std::llround(s));
    if (t >= 3600)
        return QStringLiteral("%1:%2:%3").arg(t / 3600).arg(t / 60 % 60, 2, 10, QLatin1Char('0')).arg(t % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(t / 60).arg(t % 60, 2, 10, QLatin1Char('0'));
}

namespace {

QPushButton* button(QWidget* parent, const QString& text, const char* object, const QString& tip)
{
    auto* b = new QPushButton(text, parent);
    if (object)
        b->setObjectName(QString::fromLatin1(object));
    b->setToolTip(tip);
    return b;
}

}  // namespace

TrainingRunView::TrainingRunView(QWidget* parent) : QWidget(parent)
{
    m_start = button(this, tr("Start"), "startButton", tr("Train with these settings (the drawing pad keeps working meanwhile)"));
    m_pause = button(this, tr("Pause"), "pauseButton", tr("Hold the training after the current batch"));
    m_resume = button(this, tr("Resume"), "resumeButton", tr("Continue a paused run"));
    m_stop = button(this, tr("Stop"), "stopButton", tr("End the run after the current batch, keeping the weights trained so far"));
    m_continue = button(this, tr("Continue checkpoint"), "continueButton", {});
    connect(m_start, &QPushButton::clicked, this, &TrainingRunView::startClicked);
    connect(m_pause, &QPushButton::clicked, this, &TrainingRunView::pauseClicked);
    connect(m_resume, &QPushButton::clicked, this, &TrainingRunView::resumeClicked);
    connect(m_stop, &QPushButton::clicked, this, &TrainingRunView::stopClicked);
    connect(m_continue, &QPushButton::clicked, this, &TrainingRunView::continueClicked);
    auto* buttons = new QHBoxLayout;
    for (QPushButton* b : {m_start, m_pause, m_resume, m_stop})
        buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(m_continue);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    m_progress->setTextVisible(true);
    m_progress->setFormat(QString());
    m_status = new QLabel(tr("Ready."), this);
    m_status->setObjectName(QStringLiteral("statusLabel"));

    m_resultBar = new QWidget(this);
    m_resultBar->setObjectName(QStringLiteral("resultBar"));
    m_resultText = new QLabel(m_resultBar);
    m_resultText->setWordWrap(true);
    auto* keep = button(m_resultBar, tr("Use this model"), "keepButton", tr("The drawing pad predicts with the new weights from now on"));
    auto* save = button(m_resultBar, tr("Save as…"), nullptr,
                        tr("Write the new model to a file (it can be loaded later or with digitpad-cli)"));
    auto* discard = button(m_resultBar, tr("Discard"), "discardButton", tr("Forget the new weights; the pad keeps the model it had"));
    connect(keep, &QPushButton::clicked, this, &TrainingRunView::keepClicked);
    connect(save, &QPushButton::clicked, this, &TrainingRunView::saveClicked);
    connect(discard, &QPushButton::clicked, this, &TrainingRunView::discardClicked);
    auto* rl = new QHBoxLayout(m_resultBar);
    rl->setContentsMargins(6, 4, 6, 4);
    rl->addWidget(m_resultText, 1);
    rl->addWidget(keep);
    rl->addWidget(save);
    rl->addWidget(discard);
    m_resultBar->setStyleSheet(QStringLiteral("#resultBar { background: palette(alternate-base); border: 1px solid palette(mid); border-radius: 4px; }"));
    m_resultBar->hide();

    m_curves = new CurvesPanel(this);

    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("logView"));
    m_log->setAccessibleName(tr("Training log"));
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(10000);
    m_log->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    QFont mono(QStringLiteral("Monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    mono.setPointSizeF(font().pointSizeF() * 0.9);
    m_log->setFont(mono);
    auto* saveLog = new QPushButton(tr("Save log…"), this);
    connect(saveLog, &QPushButton::clicked, this, &TrainingRunView::saveLogClicked);
    auto* logBox = new QWidget(this);
    auto* ll = new QVBoxLayout(logBox);
    ll->setContentsMargins(0, 0, 0, 0);
    ll->addWidget(m_log, 1);
    auto* lb = new QHBoxLayout;
    lb->addStretch(1);
    lb->addWidget(saveLog);
    ll->addLayout(lb);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_curves);
    split->addWidget(logBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto* right = new QVBoxLayout(this);
    right->setContentsMargins(0, 0, 0, 0);
    right->addLayout(buttons);
    right->addWidget(m_progress);
    right->addWidget(m_status);
    right->addWidget(m_resultBar);
    right->addWidget(split, 1);
}

void TrainingRunView::setButtons(bool start, bool pause, bool resume, bool stop, bool continueRun)
{
    m_start->setEnabled(start);
    m_pause->setEnabled(pause);
    m_resume->setEnabled(resume);
    m_stop->setEnabled(stop);
    m_continue->setEnabled(continueRun);
}

void TrainingRunView::setStopEnabled(bool enabled) { m_stop->setEnabled(enabled); }

void TrainingRunView::setContinueToolTip(const QString& text) { m_continue->setToolTip(text); }

void TrainingRunView::runStarting()
{
    m_resultBar->hide();
    m_progress->setValue(0);
    m_progress->setFormat(QString());
    m_status->setText(tr("Preparing…"));
}

void TrainingRunView::showStarted(const RunInfo& info)
{
    m_status->setText(tr("Training %1 images%2…")
                          .arg(QLocale().toString(info.trainSize))
                          .arg(info.validationSize > 0 ? tr(", validating on %1").arg(QLocale().toString(info.validationSize))
                                                       : QString()));
}

void TrainingRunView::showBatch(const nn::BatchReport& r, bool paused)
{
    m_curves->addBatch(r);
    const double done = (r.epoch + double(r.batch) / std::max(1, r.batches)) / std::max(1, r.epochs);
    m_progress->setValue(int(std::lround(1000.0 * done)));
    m_progress->setFormat(tr("epoch %1/%2 · batch %3/%4").arg(r.epoch + 1).arg(r.epochs).arg(r.batch).arg(r.batches));
    m_status->setText(tr("Epoch %1/%2 · batch %3/%4 · %5 images/s · ETA %6 · loss %7 · lr %8%9")
                          .arg(r.epoch + 1)
                          .arg(r.epochs)
                          .arg(r.batch)
                          .arg(r.batches)
                          .arg(QLocale().toString(qint64(std::llround(r.imagesPerSecond))))
                          .arg(durationText(r.etaSeconds))
                          .arg(r.smoothedLoss, 0, 'f', 4)
                          .arg(double(r.lr), 0, 'g', 3)
                          .arg(paused ? tr(" · paused") : QString()));
}

void TrainingRunView::showEpoch(const nn::EpochReport& r) { m_curves->addEpoch(r); }

void TrainingRunView::showFinished(const TrainingOutcome& o, bool haveModel)
{
    m_curves->flush();
    if (o.status == nn::TrainResult::Finished || o.status == nn::TrainResult::EarlyStopped)
        m_progress->setValue(1000);
    switch (o.status) {
    case nn::TrainResult::Finished: m_progress->setFormat(tr("finished: %n epoch(s)", "", o.epochsCompleted)); break;
    case nn::TrainResult::EarlyStopped: m_progress->setFormat(tr("stopped early after %n epoch(s)", "", o.epochsCompleted)); break;
    case nn::TrainResult::Stopped: m_progress->setFormat(tr("stopped")); break;
    case nn::TrainResult::Diverged: m_progress->setFormat(tr("diverged")); break;
    }
    m_status->setText(tr("%1 after %2.").arg(o.message).arg(durationText(o.seconds)));
    if (!haveModel) {
        m_resultBar->hide();
        return;
    }
    m_resultText->setText(resultSummary(o));
    m_resultBar->show();
}

void TrainingRunView::showFailed(const QString& message)
{
    m_status->setText(tr("Training failed: %1").arg(message));
    m_progress->setFormat(QString());
}

void TrainingRunView::setStatus(const QString& text) { m_status->setText(text); }

void TrainingRunView::showPaused(bool paused)
{
    if (paused)
        m_status->setText(m_status->text() + tr(" · paused"));
}

QString TrainingRunView::status() const { return m_status->text(); }

void TrainingRunView::hideResult() { m_resultBar->hide(); }

TrainingRunView::PendingAnswer TrainingRunView::askAboutResult()
{
    QMessageBox box(QMessageBox::Question, tr("Use the finished model?"),
                    tr("The last run's model is still waiting:\n%1\n\nUse it before the new run starts, or "
                       "discard it? (Its checkpoint will be overwritten by the new run.)")
                        .arg(m_resultText->text()),
                    QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("pendingResultBox"));
    QPushButton* use = box.addButton(tr("Use it"), QMessageBox::YesRole);
    QPushButton* discard = box.addButton(tr("Discard it"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(use);
    box.exec();
    if (box.clickedButton() == use)
        return PendingAnswer::Use;
    if (box.clickedButton() == discard)
        return PendingAnswer::Discard;
    return PendingAnswer::Cancel;
}

void TrainingRunView::appendLog(const QString& line)
{
    m_log->appendPlainText(QStringLiteral("[%1] %2").arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), line));
}

QString TrainingRunView::logText() const { return m_log->toPlainText(); }

bool TrainingRunView::saveLog(const QString& path, QString* error) const
{
    QSaveFile f(path);
    const QByteArray bytes = (m_log->toPlainText() + QLatin1Char('\n')).toUtf8();
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text) || f.write(bytes) != bytes.size() || !f.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), f.errorString());
        return false;
    }
    return true;
}

}  // namespace app
