#include "training_settings.h"

#include "common/settings.h"

#include <nn/errors.h>
#include <nn/model.h>

#include <QCoreApplication>

#include <cmath>

namespace app {

namespace {

QString key(const char* k) { return QLatin1String(keys::kTrainingGroup) + QLatin1String(k); }

// A real number from the settings; a value that is not a finite number
// (nan, inf, text) keeps the default and is reported.
double finiteValue(const Settings& s, const char* k, double fallback, QStringList& rejected)
{
    const QVariant v = s.value(key(k));
    if (!v.isValid())
        return fallback;
    bool ok = false;
    const double d = v.toDouble(&ok);
    if (ok && std::isfinite(d))
        return d;
    rejected << QCoreApplication::translate("app::TrainingSettings", "%1=%2 in the settings is not a finite number; using %3 instead")
                    .arg(QLatin1String(k), v.toString())
                    .arg(fallback);
    return fallback;
}

}  // namespace

TrainingSettings::TrainingSettings() : spec(QString::fromStdString(nn::Model::presetSpec("cnn"))) {}

TrainingSettings TrainingSettings::load()
{
    TrainingSettings t;
    const Settings s;
    t.spec = s.value(key("spec"), t.spec).toString();
    t.fineTune = s.value(key("fineTune"), t.fineTune).toBool();
    t.optimizer = s.value(key("optimizer"), t.optimizer).toString();
    t.schedule = s.value(key("schedule"), t.schedule).toString();
    t.learningRate = finiteValue(s, "learningRate", t.learningRate, t.rejected);
    t.batchSize = s.value(key("batchSize"), t.batchSize).toInt();
    t.epochs = s.value(key("epochs"), t.epochs).toInt();
    t.weightDecay = finiteValue(s, "weightDecay", t.weightDecay, t.rejected);
    t.l1 = finiteValue(s, "l1", t.l1, t.rejected);
    t.dropout = finiteValue(s, "dropout", t.dropout, t.rejected);
    t.validationPercent = s.value(key("validationPercent"), t.validationPercent).toInt();
    t.patience = s.value(key("patience"), t.patience).toInt();
    t.seed = s.value(key("seed"), t.seed).toInt();
    t.threads = s.value(key("threads"), t.threads).toInt();
    t.adversarialEps = finiteValue(s, "adversarialEps", t.adversarialEps, t.rejected);
    t.adversarialSteps = s.value(key("adversarialSteps"), t.adversarialSteps).toInt();
    t.adversarialFraction = finiteValue(s, "adversarialFraction", t.adversarialFraction, t.rejected);
    const QString text = s.value(key("augment")).toString();
    if (!text.isEmpty()) {
        try {
            t.augment = nn::AugmentParams::parse(text.toStdString());
        } catch (const nn::Error&) {
            t.augment = nn::AugmentParams::standard();  // written by another version: fall back
        }
    }
    t.augment.enabled = s.value(key("augmentEnabled"), true).toBool();
    t.useMnist = s.value(key("useMnist"), t.useMnist).toBool();
    t.includeUserDigits = s.value(key("includeUserDigits"), t.includeUserDigits).toBool();
    t.follow = s.value(key("follow"), t.follow).toBool();
    return t;
}

void TrainingSettings::save() const
{
    Settings s;
    s.setValue(key("spec"), spec);
    s.setValue(key("fineTune"), fineTune);
    s.setValue(key("optimizer"), optimizer);
    s.setValue(key("schedule"), schedule);
    s.setValue(key("learningRate"), learningRate);
    s.setValue(key("batchSize"), batchSize);
    s.setValue(key("epochs"), epochs);
    s.setValue(key("weightDecay"), weightDecay);
    s.setValue(key("l1"), l1);
    s.setValue(key("dropout"), dropout);
    s.setValue(key("validationPercent"), validationPercent);
    s.setValue(key("patience"), patience);
    s.setValue(key("seed"), seed);
    s.setValue(key("threads"), threads);
    s.setValue(key("adversarialEps"), adversarialEps);
    s.setValue(key("adversarialSteps"), adversarialSteps);
    s.setValue(key("adversarialFraction"), adversarialFraction);
    s.setValue(key("augmentEnabled"), augment.enabled);
    nn::AugmentParams a = augment;
    a.enabled = true;
    s.setValue(key("augment"), QString::fromStdString(a.toString()));
    s.setValue(key("useMnist"), useMnist);
    s.setValue(key("includeUserDigits"), includeUserDigits);
    s.setValue(key("follow"), follow);
}

double TrainingSettings::lastRunRate() { return Settings().value(key("macsPerThread"), 0.0).toDouble(); }

void TrainingSettings::setLastRunRate(double macsPerThread) { Settings().setValue(key("macsPerThread"), macsPerThread); }

}  // namespace app
