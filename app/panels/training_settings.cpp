#include "training_settings.h"

#include "common/settings.h"

#include <nn/errors.h>
#include <nn/model.h>

namespace app {

namespace {

QString key(const char* k) { return QLatin1String(keys::kTrainingGroup) + QLatin1String(k); }

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
    t.learningRate = s.value(key("learningRate"), t.learningRate).toDouble();
    t.batchSize = s.value(key("batchSize"), t.batchSize).toInt();
    t.epochs = s.value(key("epochs"), t.epochs).toInt();
    t.weightDecay = s.value(key("weightDecay"), t.weightDecay).toDouble();
    t.dropout = s.value(key("dropout"), t.dropout).toDouble();
    t.validationPercent = s.value(key("validationPercent"), t.validationPercent).toInt();
    t.patience = s.value(key("patience"), t.patience).toInt();
    t.seed = s.value(key("seed"), t.seed).toInt();
    t.threads = s.value(key("threads"), t.threads).toInt();
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
    s.setValue(key("dropout"), dropout);
    s.setValue(key("validationPercent"), validationPercent);
    s.setValue(key("patience"), patience);
    s.setValue(key("seed"), seed);
    s.setValue(key("threads"), threads);
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
