#include "robustness_curves.h"

#include "common/language.h"
#include "common/colour_map.h"
#include "common/mnist_store.h"
#include "wheel_guard.h"

#include <nn/parallel.h>

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <chrono>

namespace app {

QString RobustnessSeries::name() const
{
    const QString attack = method == AttackMethod::Fgsm ? RobustnessCurves::tr("FGSM")
                                                        : RobustnessCurves::tr("PGD (%1 steps)").arg(steps);
    // The attack first: a legend that runs out of room cuts the model's name, which the colour also tells.
    return RobustnessCurves::tr("%1 · %2").arg(attack, model);
}

RobustnessCurves::RobustnessCurves(QWidget* parent)
    : QWidget(parent),
      m_norm(new QComboBox(this)),
      m_steps(new QSpinBox(this)),
      m_samples(new QSpinBox(this)),
      m_compute(new QPushButton(tr("Compute"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)),
      m_clear(new QPushButton(tr("Clear curves"), this)),
      m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)),
      m_chart(new QChart),
      m_chartView(new QChartView(m_chart, this))
{
    m_norm->setObjectName(QStringLiteral("curveNorm"));
    m_norm->addItem(tr("L∞"), int(nn::AttackNorm::Linf));
    m_norm->addItem(tr("L2"), int(nn::AttackNorm::L2));
    m_norm->setToolTip(tr("The norm of both attacks; the chart shows the curves of this norm"));
    m_steps->setObjectName(QStringLiteral("curvePgdSteps"));
    m_steps->setRange(2, 100);
    m_steps->setValue(10);
    m_steps->setToolTip(tr("PGD's steps (FGSM is one step)"));
    m_steps->setAccessibleName(tr("PGD steps"));
    m_samples->setObjectName(QStringLiteral("curveSamples"));
    m_samples->setRange(10, 10000);
    m_samples->setSingleStep(500);
    m_samples->setValue(1000);
    m_samples->setSuffix(tr(" images"));
    m_samples->setAccessibleName(tr("Test images"));
    m_samples->setToolTip(tr("The first N MNIST test images; on two cores 1,000 take about half a minute for "
                             "FGSM and about ten times that for PGD with 10 steps"));
    m_compute->setObjectName(QStringLiteral("computeCurveButton"));
    m_compute->setToolTip(tr("Attack every image at each ε, away from its label, with FGSM and with PGD, and plot "
                             "the share still read correctly"));
    m_cancel->setObjectName(QStringLiteral("cancelCurveButton"));
    m_clear->setObjectName(QStringLiteral("clearCurvesButton"));
    m_clear->setToolTip(tr("Remove every curve from the chart"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setVisible(false);
    m_status->setWordWrap(true);
    m_status->setObjectName(QStringLiteral("curveStatus"));

    m_chart->setTitle(tr("Accuracy on the test images under attack"));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    // A short stretch of each line, so the legend tells FGSM (solid) from PGD (dashed).
    m_chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chartView->setRenderHint(QPainter::Antialiasing);
    m_chartView->setMinimumSize(320, 240);
    m_chartView->setAccessibleName(tr("Accuracy against ε"));

    auto* row1 = new QHBoxLayout;
    row1->addWidget(new QLabel(tr("Norm"), this));
    row1->addWidget(m_norm);
    row1->addWidget(new QLabel(tr("PGD steps"), this));
    row1->addWidget(m_steps);
    row1->addWidget(m_samples);
    row1->addStretch(1);
    auto* row2 = new QHBoxLayout;
    row2->addWidget(m_compute);
    row2->addWidget(m_cancel);
    row2->addWidget(m_progress, 1);
    row2->addWidget(m_clear);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row1);
    layout->addLayout(row2);
    layout->addWidget(m_status);
    layout->addWidget(m_chartView, 1);

    connect(m_compute, &QPushButton::clicked, this, &RobustnessCurves::compute);
    connect(m_cancel, &QPushButton::clicked, this, &RobustnessCurves::cancel);
    connect(m_clear, &QPushButton::clicked, this, &RobustnessCurves::clearCurves);
    connect(m_norm, qOverload<int>(&QComboBox::currentIndexChanged), this, &RobustnessCurves::rebuildChart);
    m_cancel->setEnabled(false);
    m_status->setText(tr("Compute measures the model in use on the MNIST test images; curves of earlier models "
                         "stay for comparison (e.g. before and after adversarial training on the Train page)."));
    takeWheelOnlyWhenFocused(this);
    rebuildChart();
}

RobustnessCurves::~RobustnessCurves()
{
    if (m_stop)
        m_stop->store(true);
}

void RobustnessCurves::setModel(std::shared_ptr<const nn::Model> model, const QString& name)
{
    m_model = std::move(model);
    if (!m_model) {
        m_label.clear();
        m_compute->setEnabled(false);
        return;
    }
    auto known = m_labels.find(m_model.get());
    if (known == m_labels.end()) {
        const int n = ++m_namesUsed[name];
        const QString label = n == 1 ? name : tr("%1 (%2)").arg(name).arg(n);
        known = m_labels.emplace(m_model.get(), label).first;
        m_seen.push_back(m_model);
    }
    m_label = known->second;
    m_compute->setEnabled(!m_task.isRunning());
}

void RobustnessCurves::setTestSet(std::shared_ptr<const nn::Dataset> test) { m_test = std::move(test); }
void RobustnessCurves::setSamples(int n) { m_samples->setValue(n); }
void RobustnessCurves::setPgdSteps(int n) { m_steps->setValue(n); }
void RobustnessCurves::setNorm(nn::AttackNorm norm) { m_norm->setCurrentIndex(m_norm->findData(int(norm))); }

void RobustnessCurves::compute()
{
    if (!m_model || m_task.isRunning())
        return;
    m_stop = std::make_shared<std::atomic<bool>>(false);
    const auto norm = nn::AttackNorm(m_norm->currentData().toInt());
    const int steps = m_steps->value(), samples = m_samples->value();
    const std::vector<float> eps = curveEpsilons(norm);
    m_compute->setEnabled(false);
    m_cancel->setEnabled(true);
    m_progress->setRange(0, 2 * int(eps.size()));
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_status->setText(tr("Attacking %1 test images with FGSM and PGD at %2 radii…").arg(samples).arg(eps.size()));
    const Inbox* inbox = &m_progressInbox;
    m_task.start(
        [this, inbox, model = m_model, label = m_label, test = m_test, dir = m_dataDir, norm, steps, samples, eps,
         stop = m_stop] {
            Job job;
            const auto t0 = std::chrono::steady_clock::now();
            std::shared_ptr<const nn::Dataset> data = test;
            if (!data) {
                if (!MnistStore::present(dir, nn::Split::Test)) {
                    job.error = tr("The MNIST test set is not in %1: get it on the Browse MNIST page (or "
                                   "scripts/fetch-mnist) and compute again.")
                                    .arg(dir);
                    return job;
                }
                try {
                    data = mnistStore().get(dir, nn::Split::Test);
                } catch (const std::exception& e) {
                    job.error = errorText(e);
                    return job;
                }
            }
            const int total = 2 * int(eps.size());
            for (int k = 0; k < 2; ++k) {
                RobustnessSeries s;
                s.model = label;
                s.method = k == 0 ? AttackMethod::Fgsm : AttackMethod::Pgd;
                s.norm = norm;
                s.steps = k == 0 ? 1 : steps;
                nn::AttackOptions o;
                o.norm = norm;
                o.steps = s.steps;
                const int base = k * int(eps.size());
                const nn::RobustnessCurve c = nn::accuracyAgainstEpsilon(
                    *model, *data, eps, o, samples,
                    [this, inbox, base, total](int done, int) {
                        inbox->post([this, done = base + done, total] { showProgress(done, total); });
                    },
                    stop.get(), nn::ThreadPool::hardwareThreads());
                if (c.cancelled) {
                    job.cancelled = true;
                    break;
                }
                s.samples = c.samples;
                s.eps = c.eps;
                s.accuracy = c.accuracy;
                job.curves.push_back(std::move(s));
            }
            job.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            return job;
        },
        [this](Job job) {
            m_compute->setEnabled(m_model != nullptr);
            m_cancel->setEnabled(false);
            m_progress->setVisible(false);
            if (!job.error.isEmpty()) {
                m_status->setText(job.error);
            } else if (job.cancelled) {
                m_status->setText(tr("Cancelled; the chart keeps the curves it had"));
            } else {
                // A new measurement of the same model and attack replaces the old one.
                for (RobustnessSeries& s : job.curves) {
                    std::erase_if(m_curves, [&](const RobustnessSeries& o) {
                        return o.model == s.model && o.method == s.method && o.norm == s.norm && o.steps == s.steps;
                    });
                    m_curves.push_back(std::move(s));
                }
                const RobustnessSeries& f = m_curves[m_curves.size() - 2];
                const RobustnessSeries& p = m_curves.back();
                m_status->setText(tr("%1: %2 test images in %3 s; clean accuracy %4%, at ε = %5 FGSM leaves %6% and "
                                     "PGD %7%")
                                      .arg(f.model)
                                      .arg(f.samples)
                                      .arg(QLocale().toString(job.seconds, 'f', 1))
                                      .arg(QLocale().toString(100.0 * f.accuracy.front(), 'f', 1))
                                      .arg(QLocale().toString(double(f.eps.back()), 'g', 3))
                                      .arg(QLocale().toString(100.0 * f.accuracy.back(), 'f', 1))
                                      .arg(QLocale().toString(100.0 * p.accuracy.back(), 'f', 1)));
                rebuildChart();
                emit curvesChanged();
            }
            emit computeFinished();
        });
}

void RobustnessCurves::showProgress(int done, int total)
{
    if (!m_task.isRunning())
        return;
    m_progress->setRange(0, total);
    m_progress->setValue(done);
}

void RobustnessCurves::cancel()
{
    if (m_stop)
        m_stop->store(true);
}

void RobustnessCurves::clearCurves()
{
    m_curves.clear();
    rebuildChart();
    emit curvesChanged();
}

void RobustnessCurves::rebuildChart()
{
    m_chart->removeAllSeries();
    for (QAbstractAxis* a : m_chart->axes()) {
        m_chart->removeAxis(a);  // gives the axis back to us
        delete a;
    }
    const auto norm = nn::AttackNorm(m_norm->currentData().toInt());
    auto* x = new QValueAxis;
    x->setTitleText(tr("ε (%1)").arg(normName(norm)));
    x->setLabelFormat(norm == nn::AttackNorm::Linf ? QStringLiteral("%.2f") : QStringLiteral("%.1f"));
    const std::vector<float> eps = curveEpsilons(norm);
    x->setRange(0.0, double(eps.back()));
    x->setTickType(QValueAxis::TicksDynamic);  // round radii: 0, 0.05, 0.1 ... / 0, 0.5, 1 ...
    x->setTickAnchor(0.0);
    x->setTickInterval(norm == nn::AttackNorm::Linf ? 0.05 : 0.5);
    auto* y = new QValueAxis;
    y->setTitleText(tr("accuracy (%)"));
    y->setRange(0.0, 100.0);
    y->setLabelFormat(QStringLiteral("%d"));
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(y, Qt::AlignLeft);
    // One colour per model, solid for FGSM and dashed for PGD.
    std::vector<QString> models;
    for (const RobustnessSeries& s : m_curves) {
        if (s.norm != norm)
            continue;
        auto at = std::find(models.begin(), models.end(), s.model);
        if (at == models.end())
            at = models.insert(models.end(), s.model);
        QPen pen(categoricalColour(std::size_t(at - models.begin())), 2);
        if (s.method == AttackMethod::Pgd)
            pen.setStyle(Qt::DashLine);
        auto* line = new QLineSeries;
        line->setName(s.name());
        m_chart->legend()->setShowToolTips(true);  // the whole name when the legend cuts it
        line->setPen(pen);
        line->setPointsVisible(true);
        QList<QPointF> points;
        for (std::size_t i = 0; i < s.eps.size(); ++i)
            points << QPointF(double(s.eps[i]), 100.0 * s.accuracy[i]);
        line->replace(points);
        m_chart->addSeries(line);
        line->attachAxis(x);
        line->attachAxis(y);
    }
    m_chart->legend()->setVisible(!m_chart->series().isEmpty());
}

}  // namespace app
