#pragma once
// What the training panel remembers between sessions, as a plain struct,
// with its loading and saving in one place (under keys::kTrainingGroup of
// app::Settings). The panel only maps it to and from its widgets.
#include <nn/augment.h>
#include <nn/trainer.h>

#include <QString>
#include <QStringList>

namespace app {

// The largest seed the Train page's seed box holds (and so the largest the
// augmentation preview's New seed makes).
inline constexpr int kMaxSeed = 2147483647;

struct TrainingSettings {
    QString spec;  // the from-scratch architecture (fine-tuning shows the current model's)
    bool fineTune = false;
    QString optimizer = QStringLiteral("adam");
    QString schedule = QStringLiteral("constant");
    double learningRate = 1e-3;
    int batchSize = 64;
    int epochs = 5;
    double weightDecay = 0.0;
    double l1 = 0.0;  // L1 regularisation of the weights
    double dropout = -0.05;  // below 0: the architecture's own rates
    int validationPercent = 10;
    int patience = 3;
    int seed = 1;
    int threads = 0;
    // Adversarial training (nn::TrainConfig's fields; eps 0: off).
    double adversarialEps = nn::TrainConfig{}.adversarialEps;
    int adversarialSteps = nn::TrainConfig{}.adversarialSteps;
    double adversarialFraction = nn::TrainConfig{}.adversarialFraction;
    nn::AugmentParams augment = nn::AugmentParams::standard();
    bool useMnist = true;
    bool includeUserDigits = true;
    bool follow = false;
    // What load() refused and replaced by the default (e.g. "learningRate=nan"), one line each.
    QStringList rejected;

    TrainingSettings();  // the defaults (the spec: the "cnn" preset)
    // The saved settings; missing or unreadable values keep their defaults.
    static TrainingSettings load();
    void save() const;

    // This machine's training rate from its last run, in forward
    // multiply-adds per second per thread (0: none yet).
    static double lastRunRate();
    static void setLastRunRate(double macsPerThread);
};

}  // namespace app
