#include "sample_filter.h"

#include "common/imageconvert.h"

#include <QLocale>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace app {

bool SampleFilter::needsPredictions() const
{
    return predicted >= 0 || outcome != Outcome::Any || minConfidence > 0.0f || maxConfidence < 1.0f ||
           sort != Sort::Index;
}

float sampleConfidence(const nn::Evaluation& e, int i)
{
    return e.probabilities[std::size_t(i) * nn::kClasses + e.predictions[std::size_t(i)]];
}

float sampleLoss(const nn::Evaluation& e, int i)
{
    const float p = e.probabilities[std::size_t(i) * nn::kClasses + e.labels[std::size_t(i)]];
    return -std::log(std::max(p, 1e-30f));
}

void sortSamples(const std::vector<SampleSource>& sources, std::vector<SampleRef>& refs, SampleFilter::Sort sort)
{
    if (sort == SampleFilter::Sort::Index) {
        std::stable_sort(refs.begin(), refs.end(), [](const SampleRef& a, const SampleRef& b) {
            return a.source != b.source ? a.source < b.source : a.index < b.index;
        });
        return;
    }
    // One key per ref, then a stable sort of positions: the key function runs
    // n times, not n log n.
    std::vector<float> key(refs.size());
    for (std::size_t k = 0; k < refs.size(); ++k) {
        const SampleSource& s = sources[std::size_t(refs[k].source)];
        if (!s.hasPredictions()) {
            key[k] = std::numeric_limits<float>::infinity();  // unknowns last
            continue;
        }
        switch (sort) {
        case SampleFilter::Sort::ConfidenceAscending: key[k] = sampleConfidence(*s.evaluation, refs[k].index); break;
        case SampleFilter::Sort::ConfidenceDescending: key[k] = -sampleConfidence(*s.evaluation, refs[k].index); break;
        case SampleFilter::Sort::LossDescending: key[k] = -sampleLoss(*s.evaluation, refs[k].index); break;
        case SampleFilter::Sort::Index: break;
        }
    }
    std::vector<std::size_t> order(refs.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key[a] < key[b]; });
    std::vector<SampleRef> sorted(refs.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        sorted[k] = refs[order[k]];
    refs = std::move(sorted);
}

std::vector<SampleRef> filterSamples(const std::vector<SampleSource>& sources, const SampleFilter& f)
{
    std::vector<SampleRef> out;
    const bool needPred = f.needsPredictions();
    std::size_t reserve = 0;
    for (const SampleSource& s : sources)
        reserve += s.data ? std::size_t(s.data->size()) : 0;
    out.reserve(reserve);
    for (int si = 0; si < int(sources.size()); ++si) {
        const SampleSource& s = sources[std::size_t(si)];
        if (!s.data || (f.source >= 0 && f.source != si))
            continue;
        const bool havePred = s.hasPredictions();
        if (needPred && !havePred)
            continue;
        const int n = s.data->size();
        const std::uint8_t* labels = s.data->labels.data();
        const int count = f.indices ? int(f.indices->size()) : n;
        for (int k = 0; k < count; ++k) {
            const int i = f.indices ? (*f.indices)[std::size_t(k)] : k;
            if (i < 0 || i >= n)
                continue;
            if (f.label >= 0 && labels[i] != f.label)
                continue;
            if (needPred) {
                const int p = s.evaluation->predictions[std::size_t(i)];
                if (f.predicted >= 0 && p != f.predicted)
                    continue;
                if (f.outcome == SampleFilter::Outcome::Correct && p != labels[i])
                    continue;
                if (f.outcome == SampleFilter::Outcome::Misclassified && p == labels[i])
                    continue;
                const float c = sampleConfidence(*s.evaluation, i);
                if (c < f.minConfidence || c > f.maxConfidence)
                    continue;
            }
            out.push_back({si, i});
        }
    }
    if (f.sort != SampleFilter::Sort::Index)
        sortSamples(sources, out, f.sort);
    return out;
}

// ---- SampleListModel ---------------------------------------------------------

SampleListModel::SampleListModel(QObject* parent) : QAbstractListModel(parent) {}

void SampleListModel::setSources(std::vector<SampleSource> sources)
{
    beginResetModel();
    m_sources = std::move(sources);
    m_explicit = false;
    m_items = filterSamples(m_sources, m_filter);
    endResetModel();
}

void SampleListModel::setEvaluation(int source, std::shared_ptr<const nn::Evaluation> evaluation)
{
    if (source < 0 || source >= int(m_sources.size()))
        return;
    m_sources[std::size_t(source)].evaluation = std::move(evaluation);
    if (!m_explicit && m_filter.needsPredictions()) {
        beginResetModel();
        m_items = filterSamples(m_sources, m_filter);
        endResetModel();
    } else if (!m_items.empty()) {
        // Same rows, new predictions: repaint.
        emit dataChanged(index(0), index(rowCount() - 1));
    }
}

void SampleListModel::setSourceData(int source, std::shared_ptr<const nn::Dataset> data)
{
    if (source < 0 || source >= int(m_sources.size()))
        return;
    SampleSource& s = m_sources[std::size_t(source)];
    const bool append = !s.data && !m_explicit && source == int(m_sources.size()) - 1 &&
                        m_filter.sort == SampleFilter::Sort::Index;
    s.data = std::move(data);
    s.evaluation = nullptr;
    if (m_explicit)
        return;
    if (!append) {
        beginResetModel();
        m_items = filterSamples(m_sources, m_filter);
        endResetModel();
        return;
    }
    SampleFilter only = m_filter;
    if (only.source >= 0 && only.source != source)
        return;
    only.source = source;
    std::vector<SampleRef> added = filterSamples(m_sources, only);
    if (added.empty())
        return;
    beginInsertRows({}, rowCount(), rowCount() + int(added.size()) - 1);
    m_items.insert(m_items.end(), added.begin(), added.end());
    endInsertRows();
}

void SampleListModel::setFilter(const SampleFilter& filter)
{
    beginResetModel();
    m_filter = filter;
    m_explicit = false;
    m_items = filterSamples(m_sources, m_filter);
    endResetModel();
}

void SampleListModel::setSamples(std::vector<SampleRef> refs)
{
    beginResetModel();
    m_explicit = true;
    m_items = std::move(refs);
    endResetModel();
}

void SampleListModel::sortBy(SampleFilter::Sort sort)
{
    beginResetModel();
    m_filter.sort = sort;
    sortSamples(m_sources, m_items, sort);
    endResetModel();
}

int SampleListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

const std::uint8_t* SampleListModel::rawImage(int row) const
{
    const SampleRef r = ref(row);
    return m_sources[std::size_t(r.source)].data->image(r.index);
}

int SampleListModel::label(int row) const
{
    const SampleRef r = ref(row);
    return m_sources[std::size_t(r.source)].data->labels[std::size_t(r.index)];
}

int SampleListModel::predicted(int row) const
{
    const SampleRef r = ref(row);
    const SampleSource& s = m_sources[std::size_t(r.source)];
    return s.hasPredictions() ? s.evaluation->predictions[std::size_t(r.index)] : -1;
}

float SampleListModel::confidence(int row) const
{
    const SampleRef r = ref(row);
    const SampleSource& s = m_sources[std::size_t(r.source)];
    return s.hasPredictions() ? sampleConfidence(*s.evaluation, r.index) : -1.0f;
}

const float* SampleListModel::probabilities(int row) const
{
    const SampleRef r = ref(row);
    const SampleSource& s = m_sources[std::size_t(r.source)];
    return s.hasPredictions() ? s.evaluation->probabilities.data() + std::size_t(r.index) * nn::kClasses : nullptr;
}

QString SampleListModel::describe(int row) const
{
    const SampleRef r = ref(row);
    return QStringLiteral("%1 #%2").arg(m_sources[std::size_t(r.source)].name).arg(r.index);
}

QString SampleListModel::accessibleText(int row) const
{
    const SampleRef r = ref(row);
    QString set = m_sources[std::size_t(r.source)].name;
    if (!set.isEmpty())
        set[0] = set[0].toUpper();
    const QLocale locale;
    if (predicted(row) < 0)
        //: %1 the set (Test, Train), %2 the image's index in it, %3 its true label
        return tr("%1 image %2: label %3").arg(set, locale.toString(r.index)).arg(label(row));
    //: %1 the set (Test, Train), %2 the image's index in it, %3 its true label, %4 the prediction, %5 its probability
    return tr("%1 image %2: label %3, predicted %4 (%5)")
        .arg(set, locale.toString(r.index))
        .arg(label(row))
        .arg(predicted(row))
        .arg(locale.toString(100.0 * confidence(row), 'f', 1) + locale.percent());
}

QString SampleListModel::accessibleDescription(int row) const
{
    if (predicted(row) < 0)
        return tr("No prediction yet");
    return predicted(row) == label(row) ? tr("Correct") : tr("Misclassified");
}

int SampleListModel::rowOf(const SampleRef& r) const
{
    const auto it = std::find(m_items.begin(), m_items.end(), r);
    return it == m_items.end() ? -1 : int(it - m_items.begin());
}

int SampleListModel::totalSamples() const
{
    int n = 0;
    for (const SampleSource& s : m_sources)
        n += s.data ? s.data->size() : 0;
    return n;
}

QVariant SampleListModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int row = index.row();
    switch (role) {
    case Qt::DisplayRole: return QString::number(label(row));
    case Qt::ToolTipRole:
    case Qt::AccessibleTextRole: return accessibleText(row);
    case Qt::AccessibleDescriptionRole: return accessibleDescription(row);
    case SourceRole: return ref(row).source;
    case IndexRole: return ref(row).index;
    case LabelRole: return label(row);
    case PredictedRole: return predicted(row);
    case ConfidenceRole: return confidence(row);
    case LossRole: {
        const SampleRef r = ref(row);
        const SampleSource& s = m_sources[std::size_t(r.source)];
        return s.hasPredictions() ? sampleLoss(*s.evaluation, r.index) : -1.0f;
    }
    case ImageRole: {
        const nn::Dataset& d = dataset(row);
        return grayBytesToImage(rawImage(row), d.cols, d.rows);
    }
    default: return {};
    }
}


std::vector<float> sampleFloats(const std::uint8_t* pixels, int w, int h)
{
    std::vector<float> out(std::size_t(w) * h);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = float(pixels[i]) * (1.0f / 255.0f);  // exactly as Dataset::imageAsFloat
    return out;
}

}  // namespace app
