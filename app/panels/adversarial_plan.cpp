#include "adversarial_plan.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace app {

namespace {

QString epsText(float eps) { return QLocale().toString(double(eps), 'g', 3); }

}  // namespace

nn::AttackOptions LabSettings::options() const
{
    nn::AttackOptions o;
    o.norm = norm;
    o.steps = method == AttackMethod::Fgsm ? 1 : std::max(2, pgdSteps);
    o.target = target;
    o.randomStart = false;
    return o;
}

float LabSettings::maxEps(nn::AttackNorm norm) { return norm == nn::AttackNorm::Linf ? 0.5f : 10.0f; }

Amplification amplification(const std::vector<float>& perturbation)
{
    Amplification a;
    for (float d : perturbation)
        if (std::isfinite(d))
            a.maxAbs = std::max(a.maxAbs, std::abs(d));
    if (!(a.maxAbs > 0))
        return a;
    // 1, 2, 5, 10, 20, 50, ...: the largest with factor * maxAbs <= 1.
    static const float kSteps[] = {1, 2, 5};
    for (float decade = 1; decade < 1e6f; decade *= 10)
        for (float s : kSteps)
            if (s * decade * a.maxAbs <= 1.0f)
                a.factor = s * decade;
    return a;
}

QString normName(nn::AttackNorm norm) { return norm == nn::AttackNorm::Linf ? QStringLiteral("L∞") : QStringLiteral("L2"); }

QString amplificationText(const Amplification& a)
{
    return QCoreApplication::translate("app::RobustnessPanel", "×%1, max |δ| = %2").arg(QLocale().toString(double(a.factor), 'g', 6), epsText(a.maxAbs));
}

QString smallestEpsilonText(const nn::SmallestEpsilon& s, const LabSettings& settings)
{
    const QString norm = normName(settings.norm);
    const nn::AttackResult& r = s.result;
    if (settings.target >= 0) {
        if (s.found && s.eps == 0)
            return QCoreApplication::translate("app::RobustnessPanel", "The answer already is %1").arg(settings.target);
        return s.found ? QCoreApplication::translate("app::RobustnessPanel", "Reaches %1 (from %2) at ε = %3 (%4)").arg(settings.target).arg(r.original).arg(epsText(s.eps), norm)
                       : QCoreApplication::translate("app::RobustnessPanel", "Does not reach %1 up to ε = %2 (%3)").arg(settings.target).arg(epsText(s.eps), norm);
    }
    return s.found ? QCoreApplication::translate("app::RobustnessPanel", "The answer changes from %1 to %2 at ε = %3 (%4)").arg(r.original).arg(r.answer).arg(epsText(s.eps), norm)
                   : QCoreApplication::translate("app::RobustnessPanel", "Not changed up to ε = %1 (%2)").arg(epsText(s.eps), norm);
}

std::vector<float> curveEpsilons(nn::AttackNorm norm)
{
    if (norm == nn::AttackNorm::Linf)
        return {0.0f, 0.025f, 0.05f, 0.075f, 0.1f, 0.15f, 0.2f, 0.3f};
    return {0.0f, 0.25f, 0.5f, 1.0f, 1.5f, 2.0f, 3.0f, 4.0f};
}

}  // namespace app
