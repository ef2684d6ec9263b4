#include "number.h"

#include "model.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nn {

namespace {

struct Piece {  // one connected piece of ink
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // box, x1/y1 exclusive
    double mass = 0;
};

struct Group {  // pieces that share their columns: one digit or several touching
    std::vector<int> pieces;
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    double mass = 0;
    int width() const { return x1 - x0; }
    int height() const { return y1 - y0; }
};

int findRoot(std::vector<int>& parent, int i)
{
    while (parent[std::size_t(i)] != i) {
        parent[std::size_t(i)] = parent[std::size_t(parent[std::size_t(i)])];
        i = parent[std::size_t(i)];
    }
    return i;
}

// 8-connected pieces of the mask: labels[i] is the piece of pixel i (-1: paper).
std::vector<Piece> connectedPieces(const InkImage& ink, std::vector<int>& labels)
{
    const int w = ink.w, h = ink.h;
    labels.assign(std::size_t(w) * std::size_t(h), -1);
    std::vector<int> parent;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const std::size_t i = std::size_t(y) * std::size_t(w) + std::size_t(x);
            if (!ink.mask[i])
                continue;
            int label = -1;
            const int nx[4] = {x - 1, x - 1, x, x + 1}, ny[4] = {y, y - 1, y - 1, y - 1};
            for (int k = 0; k < 4; ++k) {
                if (nx[k] < 0 || nx[k] >= w || ny[k] < 0)
                    continue;
                const int l = labels[std::size_t(ny[k]) * std::size_t(w) + std::size_t(nx[k])];
                if (l < 0)
                    continue;
                if (label < 0) {
                    label = findRoot(parent, l);
                } else {
                    const int a = findRoot(parent, l);
                    if (a != label)
                        parent[std::size_t(std::max(a, label))] = std::min(a, label), label = std::min(a, label);
                }
            }
            if (label < 0) {
                label = int(parent.size());
                parent.push_back(label);
            }
            labels[i] = label;
        }
    std::vector<int> compact(parent.size(), -1);
    std::vector<Piece> pieces;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const std::size_t i = std::size_t(y) * std::size_t(w) + std::size_t(x);
            if (labels[i] < 0)
                continue;
            const int root = findRoot(parent, labels[i]);
            int& c = compact[std::size_t(root)];
            if (c < 0) {
                c = int(pieces.size());
                pieces.push_back({x, y, x + 1, y + 1, 0.0});
            }
            labels[i] = c;
            Piece& p = pieces[std::size_t(c)];
            p.x0 = std::min(p.x0, x);
            p.x1 = std::max(p.x1, x + 1);
            p.y0 = std::min(p.y0, y);
            p.y1 = std::max(p.y1, y + 1);
            p.mass += ink.ink[i];
        }
    return pieces;
}

int overlap(int a0, int a1, int b0, int b1) { return std::min(a1, b1) - std::max(a0, b0); }

// Pieces one above the other that share most of their columns are one group
// (a 5's flag over its body); groups sorted left to right.
std::vector<Group> groupPieces(const std::vector<Piece>& pieces, const std::vector<int>& kept)
{
    std::vector<Group> groups;
    for (int p : kept) {
        const Piece& q = pieces[std::size_t(p)];
        Group g;
        g.pieces = {p};
        g.x0 = q.x0, g.x1 = q.x1, g.y0 = q.y0, g.y1 = q.y1, g.mass = q.mass;
        groups.push_back(std::move(g));
    }
    for (bool merged = true; merged;) {
        merged = false;
        for (std::size_t a = 0; a < groups.size() && !merged; ++a)
            for (std::size_t b = a + 1; b < groups.size() && !merged; ++b) {
                Group& ga = groups[a];
                Group& gb = groups[b];
                // Most of the narrower one's columns shared, and one above the
                // other (side by side and overlapping, they are neighbours
                // written close: a slanted 1 beside a 4).
                const int o = overlap(ga.x0, ga.x1, gb.x0, gb.x1);
                const int oy = overlap(ga.y0, ga.y1, gb.y0, gb.y1);
                if (2 * o < std::min(ga.width(), gb.width()) || 2 * oy > std::min(ga.height(), gb.height()))
                    continue;
                ga.pieces.insert(ga.pieces.end(), gb.pieces.begin(), gb.pieces.end());
                ga.x0 = std::min(ga.x0, gb.x0), ga.x1 = std::max(ga.x1, gb.x1);
                ga.y0 = std::min(ga.y0, gb.y0), ga.y1 = std::max(ga.y1, gb.y1);
                ga.mass += gb.mass;
                groups.erase(groups.begin() + std::ptrdiff_t(b));
                merged = true;
            }
    }
    std::sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) { return a.x0 + a.x1 < b.x0 + b.x1; });
    return groups;
}

// A cut through a group: the line x = c + slope * (y - mid). Slanted cuts
// part slanted writing (a 1 leaning on a 4) that no column can.
struct Cut {
    double c = 0, slope = 0, mid = 0;
    // Or a path: xs[y - y0] for the rows y0 .. y0 + xs.size() - 1, the ends
    // beyond them (a least-ink path from the top of a group to its bottom).
    int y0 = 0;
    std::vector<double> xs;
    double at(int y) const
    {
        if (xs.empty())
            return c + slope * (double(y) - mid);
        return xs[std::size_t(std::clamp(y - y0, 0, int(xs.size()) - 1))];
    }
    double mean() const
    {
        return xs.empty() ? c : std::accumulate(xs.begin(), xs.end(), 0.0) / double(xs.size());
    }
};

Cut lineCut(double c, double slope = 0, double mid = 0)
{
    Cut cut;
    cut.c = c, cut.slope = slope, cut.mid = mid;
    return cut;
}

// One candidate digit: the ink of some pieces between two cuts (pixel x is
// in when left.at(y) <= x < right.at(y)).
struct Candidate {
    std::vector<int> pieces;
    NumberDigit digit;
    bool valid = false;
    double score = 0;  // log confidence
};

class Reader {
public:
    Reader(const Model& model, const InkImage& ink, const std::vector<int>& labels, const NumberOptions& o, double H)
        : m_model(model), m_ink(ink), m_labels(labels), m_options(o), m_height(H)
    {
    }

    // Reads the ink of `pieces` between the cuts `left` and `right` as one digit.
    Candidate read(const std::vector<int>& pieces, const Cut& left, const Cut& right) const
    {
        Candidate c;
        c.pieces = pieces;
        const int w = m_ink.w, h = m_ink.h;
        int bx0 = w, bx1 = 0, by0 = h, by1 = 0;
        const std::vector<char> in = membership(pieces);
        for (int y = 0; y < h; ++y) {
            const int x0 = std::max(0, int(std::ceil(left.at(y)))), x1 = std::min(w, int(std::ceil(right.at(y))));
            for (int x = x0; x < x1; ++x) {
                const int l = m_labels[std::size_t(y) * std::size_t(w) + std::size_t(x)];
                if (l >= 0 && std::size_t(l) < in.size() && in[std::size_t(l)]) {
                    bx0 = std::min(bx0, x), bx1 = std::max(bx1, x + 1);
                    by0 = std::min(by0, y), by1 = std::max(by1, y + 1);
                }
            }
        }
        if (bx1 <= bx0 || by1 <= by0)
            return c;
        // The digit's ink alone, bright on black, with a margin of paper.
        const int m = 2;
        const int sw = bx1 - bx0 + 2 * m, sh = by1 - by0 + 2 * m;
        std::vector<float> sub(std::size_t(sw) * std::size_t(sh), 0.0f);
        for (int y = by0; y < by1; ++y) {
            const int x0 = std::max(bx0, int(std::ceil(left.at(y)))), x1 = std::min(bx1, int(std::ceil(right.at(y))));
            for (int x = x0; x < x1; ++x) {
                const std::size_t i = std::size_t(y) * std::size_t(w) + std::size_t(x);
                const int l = m_labels[i];
                if (l >= 0 && std::size_t(l) < in.size() && in[std::size_t(l)])
                    sub[std::size_t(y - by0 + m) * std::size_t(sw) + std::size_t(x - bx0 + m)] = m_ink.ink[i];
            }
        }
        PreprocessOptions po = m_options.preprocess;
        po.darkInk = 0;
        NumberDigit& d = c.digit;
        d.input = preprocess(sub.data(), sw, sh, po);
        if (d.input.empty)
            return c;
        d.x = bx0, d.y = by0, d.w = bx1 - bx0, d.h = by1 - by0;
        // The input's box in source pixels (the sub-image is offset by the margin).
        d.input.boxX += bx0 - m;
        d.input.boxY += by0 - m;
        d.input.comX += float(bx0 - m);
        d.input.comY += float(by0 - m);
        d.reading = readDigit(m_model, d.input.input.data());
        const auto& p = d.reading.probabilities;
        if (p.empty())
            return c;
        d.digit = int(std::max_element(p.begin(), p.end()) - p.begin());
        d.confidence = p[std::size_t(d.digit)];
        c.valid = true;
        if (!std::isfinite(d.confidence)) {  // an overflowing model: a reading the caller must refuse
            c.score = -1e6;
            return c;
        }
        c.score = std::log(std::max(double(d.confidence), 1e-6));
        if (d.reading.calibrated)  // how digit-like, beyond the saturated softmax
            c.score += m_options.energyWeight * (d.reading.score - m_options.energyReference);
        // A digit is about as tall as the writing: a piece much shorter (a
        // 5's flag apart from its body, the end of a broken 9's stem) pays,
        // so that it joins its neighbour if it can.
        if (d.h < m_options.shortLimit * m_height)
            c.score -= m_options.shortPenalty;
        return c;
    }

    // Where `g` may be cut into k digits, each a list of k - 1 cuts, left
    // to right: where the group's ink is thinnest. Two digits touch anywhere
    // (a 1 beside a 4 at a fifth of the width) and lean, so for k = 2 the
    // thinnest places along vertical and slanted lines across the group are
    // all tried (up to kCandidates); the model picks among them. For more
    // digits, vertical cuts near the even split.
    std::vector<std::vector<Cut>> cutSets(const Group& g, int k) const
    {
        const int gw = g.width();
        const double mid = 0.5 * (g.y0 + g.y1 - 1);
        const std::vector<char> in = membership(g.pieces);
        // The ink along the line x = c + slope * (y - mid) for every c in the group's columns.
        const auto profile = [&](double slope) {
            std::vector<double> ink(std::size_t(gw), 0.0);
            for (int y = g.y0; y < g.y1; ++y) {
                const double dx = slope * (double(y) - mid);
                for (int j = 0; j < gw; ++j) {
                    const int x = int(std::lround(g.x0 + j + dx));
                    if (x < 0 || x >= m_ink.w)
                        continue;
                    const std::size_t i = std::size_t(y) * std::size_t(m_ink.w) + std::size_t(x);
                    const int l = m_labels[i];
                    if (l >= 0 && std::size_t(l) < in.size() && in[std::size_t(l)])
                        ink[std::size_t(j)] += m_ink.ink[i];
                }
            }
            return ink;
        };
        const std::vector<double> column = profile(0.0);
        // A cut goes where two digits touch: through little ink. Through a
        // digit's own stroke (a 0's side) it would only make halves.
        const double limit = 0.35 * *std::max_element(column.begin(), column.end());
        std::vector<std::vector<Cut>> sets;
        if (k == 2) {
            struct Place {
                Cut cut;
                double ink;
            };
            std::vector<Place> places;
            const int lo = std::max(1, int(0.12 * gw)), hi = std::min(gw - 2, int(0.88 * gw));
            for (double slope : {0.0, -0.3, 0.3}) {
                const std::vector<double> v = slope == 0.0 ? column : profile(slope);
                for (int j = lo; j <= hi; ++j)
                    if (v[std::size_t(j)] <= limit && v[std::size_t(j)] <= v[std::size_t(j - 1)] &&
                        v[std::size_t(j)] <= v[std::size_t(j + 1)])
                        places.push_back({lineCut(g.x0 + j + 0.5, slope, mid), v[std::size_t(j)] + 1e-3 * std::abs(j - gw / 2.0)});
            }
            std::sort(places.begin(), places.end(), [](const Place& a, const Place& b) { return a.ink < b.ink; });
            constexpr std::size_t kCandidates = 4;
            for (const Place& p : places) {
                bool near = false;
                for (const auto& s : sets)
                    near = near || (std::abs(s[0].c - p.cut.c) < std::max(2, gw / 10) && s[0].slope == p.cut.slope);
                if (!near)
                    sets.push_back({p.cut});
                if (sets.size() == kCandidates)
                    break;
            }
            // Paths that bend around the strokes: two digits that touch at
            // one point (a thick 1 leaning on a 6) leave no straight line
            // through little ink, but a path from top to bottom that crosses
            // only where they touch.
            std::vector<Place> paths;
            for (int f = 2; f <= 8; ++f) {
                Place p{leastInkPath(g, in, int(0.1 * f * gw), std::max(2, int(0.12 * gw))), 0.0};
                for (int y = g.y0; y < g.y1; ++y) {
                    const int x = int(p.cut.at(y));
                    const std::size_t i = std::size_t(y) * std::size_t(m_ink.w) + std::size_t(x);
                    const int l = m_labels[i];
                    if (l >= 0 && std::size_t(l) < in.size() && in[std::size_t(l)])
                        p.ink += m_ink.ink[i];
                }
                if (p.ink <= limit)
                    paths.push_back(std::move(p));
            }
            std::sort(paths.begin(), paths.end(), [](const Place& a, const Place& b) { return a.ink < b.ink; });
            constexpr std::size_t kPaths = 3;
            std::size_t added = 0;
            for (Place& p : paths) {
                if (added >= kPaths)
                    break;
                bool near = false;
                for (const auto& s : sets)
                    near = near || std::abs(s[0].mean() - p.cut.mean()) < std::max(2, gw / 10);
                if (!near) {
                    sets.push_back({std::move(p.cut)});
                    ++added;
                }
            }
            return sets;
        }
        const auto thinnest = [&](int lo, int hi, double ideal) {
            int best = int(std::lround(ideal));
            double bestValue = 1e300;
            for (int x = std::max(1, lo); x <= std::min(gw - 1, hi); ++x) {
                // The thinnest column, and of equally thin ones the nearest to the even split.
                const double v = column[std::size_t(x)] + 1e-3 * std::abs(x - ideal);
                if (v < bestValue) {
                    bestValue = v;
                    best = x;
                }
            }
            return best;
        };
        std::vector<Cut> cuts;
        const double step = double(gw) / k;
        for (int j = 1; j < k; ++j) {
            const double ideal = j * step;
            const int x = thinnest(int(std::floor(ideal - 0.4 * step)), int(std::ceil(ideal + 0.4 * step)), ideal);
            if (column[std::size_t(x)] > limit)
                return sets;
            cuts.push_back(lineCut(g.x0 + x + 0.5, 0.0, mid));
        }
        sets.push_back(std::move(cuts));
        return sets;
    }

private:
    // The path from the group's top row to its bottom row through the least
    // ink of its pieces, within `radius` columns of column `centre` (group
    // coordinates), one column at most to the side per row (a side step
    // costs a little, so that across paper it goes straight down).
    Cut leastInkPath(const Group& g, const std::vector<char>& in, int centre, int radius) const
    {
        const int gw = g.width(), rows = g.height();
        const int lo = std::max(0, centre - radius), hi = std::min(gw - 1, centre + radius);
        const int n = hi - lo + 1;
        constexpr double kSideStep = 0.05;
        std::vector<double> cost(std::size_t(n), 0.0), next(std::size_t(n), 0.0);
        std::vector<signed char> from(std::size_t(rows) * std::size_t(n), 0);
        const auto inkAt = [&](int y, int j) {
            const std::size_t i = std::size_t(y) * std::size_t(m_ink.w) + std::size_t(g.x0 + j);
            const int l = m_labels[i];
            return l >= 0 && std::size_t(l) < in.size() && in[std::size_t(l)] ? double(m_ink.ink[i]) : 0.0;
        };
        for (int j = 0; j < n; ++j)
            cost[std::size_t(j)] = inkAt(g.y0, lo + j) + 1e-4 * std::abs(lo + j - centre);
        for (int r = 1; r < rows; ++r) {
            for (int j = 0; j < n; ++j) {
                double best = cost[std::size_t(j)];
                signed char step = 0;
                if (j > 0 && cost[std::size_t(j) - 1] + kSideStep < best)
                    best = cost[std::size_t(j) - 1] + kSideStep, step = -1;
                if (j + 1 < n && cost[std::size_t(j) + 1] + kSideStep < best)
                    best = cost[std::size_t(j) + 1] + kSideStep, step = 1;
                next[std::size_t(j)] = best + inkAt(g.y0 + r, lo + j);
                from[std::size_t(r) * std::size_t(n) + std::size_t(j)] = step;
            }
            std::swap(cost, next);
        }
        int j = int(std::min_element(cost.begin(), cost.end()) - cost.begin());
        Cut cut;
        cut.y0 = g.y0;
        cut.xs.assign(std::size_t(rows), 0.0);
        for (int r = rows - 1; r >= 0; --r) {
            cut.xs[std::size_t(r)] = g.x0 + lo + j + 0.5;
            j += from[std::size_t(r) * std::size_t(n) + std::size_t(j)];
        }
        return cut;
    }

    std::vector<char> membership(const std::vector<int>& pieces) const
    {
        std::vector<char> in(std::size_t(*std::max_element(pieces.begin(), pieces.end())) + 1, 0);
        for (int p : pieces)
            in[std::size_t(p)] = 1;
        return in;
    }

    const Model& m_model;
    const InkImage& m_ink;
    const std::vector<int>& m_labels;
    const NumberOptions& m_options;
    double m_height;  // the writing's
};

NumberReading readInk(const Model& model, const InkImage& ink, const NumberOptions& o)
{
    NumberReading out;
    out.inverted = ink.inverted;
    if (ink.w <= 0 || ink.h <= 0)
        return out;
    std::vector<int> labels;
    const std::vector<Piece> pieces = connectedPieces(ink, labels);
    if (pieces.empty())
        return out;
    // Specks: little ink compared with the heaviest piece.
    double heaviest = 0;
    for (const Piece& p : pieces)
        heaviest = std::max(heaviest, p.mass);
    std::vector<int> kept;
    for (std::size_t i = 0; i < pieces.size(); ++i)
        if (pieces[i].mass >= std::max(1.0, o.speckShare * heaviest))
            kept.push_back(int(i));
    if (kept.empty())
        return out;
    std::vector<Group> groups = groupPieces(pieces, kept);
    if (int(groups.size()) > o.maxDigits)
        groups.resize(std::size_t(o.maxDigits));
    // The writing's height: the median group's, at least half the tallest.
    std::vector<int> heights;
    for (const Group& g : groups)
        heights.push_back(g.height());
    std::sort(heights.begin(), heights.end());
    const double H = std::max(double(heights[heights.size() / 2]), 0.5 * heights.back());

    const Reader reader(model, ink, labels, o, H);
    const int n = int(groups.size());
    // best[i]: the best reading of groups [0, i).
    std::vector<double> best(std::size_t(n) + 1, -1e300);
    std::vector<std::vector<Candidate>> how(std::size_t(n) + 1);
    best[0] = 0;
    const auto offer = [&](int from, int to, std::vector<Candidate> digits, double penalty) {
        double s = best[std::size_t(from)] - penalty;
        for (const Candidate& c : digits) {
            if (!c.valid)
                return;
            s += c.score;
        }
        if (s > best[std::size_t(to)]) {
            best[std::size_t(to)] = s;
            std::vector<Candidate> path = how[std::size_t(from)];
            path.insert(path.end(), digits.begin(), digits.end());
            how[std::size_t(to)] = std::move(path);
        }
    };
    for (int i = 0; i < n; ++i) {
        if (best[std::size_t(i)] <= -1e299)
            continue;
        const Group& g = groups[std::size_t(i)];
        // As one digit, or cut into k where the ink is thinnest (touching digits).
        const int kmax = std::clamp(int(std::floor(g.width() / (0.35 * H))), 1, 4);
        for (int k = 1; k <= kmax; ++k) {
            if (k > 1 && g.width() < 0.8 * H)
                break;
            const Cut leftmost = lineCut(-1e9), rightmost = lineCut(1e9);
            if (k == 1) {
                offer(i, i + 1, {reader.read(g.pieces, leftmost, rightmost)}, 0.0);
                continue;
            }
            for (const std::vector<Cut>& cuts : reader.cutSets(g, k)) {
                std::vector<Cut> at = {leftmost};
                at.insert(at.end(), cuts.begin(), cuts.end());
                at.push_back(rightmost);
                std::vector<Candidate> digits;
                for (int j = 0; j < k; ++j) {
                    digits.push_back(reader.read(g.pieces, at[std::size_t(j)], at[std::size_t(j) + 1]));
                    // Each part a digit of the writing's height, not a sliver off a neighbour.
                    if (digits.back().digit.h < 0.55 * H)
                        digits.back().valid = false;
                    // And beside the part before it, not over it: a path
                    // that winds through a single digit can leave one part
                    // inside the other's box (a 3 read as a 2 within a 5).
                    if (j > 0) {
                        const NumberDigit& a = digits[std::size_t(j) - 1].digit;
                        const NumberDigit& b = digits.back().digit;
                        if (overlap(a.x, a.x + a.w, b.x, b.x + b.w) > 0.5 * std::min(a.w, b.w))
                            digits.back().valid = false;
                    }
                }
                offer(i, i + 1, std::move(digits), o.cutPenalty * (k - 1));
            }
        }
        // With the next group as one digit (a digit broken side by side).
        if (i + 1 < n) {
            const Group& h = groups[std::size_t(i) + 1];
            const int x0 = std::min(g.x0, h.x0), x1 = std::max(g.x1, h.x1);
            // Only fragments: a part shorter than the writing (a 4's stem
            // apart from its body), close by, together no wider than a digit.
            // (Two whole digits read as one score better than apart: fewer
            // confidences below 1 multiply.)
            if (h.x0 - g.x1 < 0.15 * H && x1 - x0 <= 1.0 * H && std::min(g.height(), h.height()) < 0.7 * H) {
                std::vector<int> both = g.pieces;
                both.insert(both.end(), h.pieces.begin(), h.pieces.end());
                offer(i, i + 2, {reader.read(both, lineCut(-1e9), lineCut(1e9))}, o.mergePenalty);
            }
        }
    }
    if (best[std::size_t(n)] <= -1e299)
        return out;
    out.empty = false;
    out.confidence = 1.0;
    for (Candidate& c : how[std::size_t(n)]) {
        NumberDigit& d = c.digit;
        out.text += char('0' + d.digit);
        out.notDigits += d.reading.notDigit ? 1 : 0;
        out.confidence *= d.confidence;
        out.digits.push_back(std::move(d));
    }
    return out;
}

}  // namespace

NumberReading readNumber(const Model& model, const float* gray, int w, int h, const NumberOptions& options)
{
    return readInk(model, inkImage(gray, w, h, options.preprocess), options);
}

NumberReading readNumber(const Model& model, const std::uint8_t* gray, int w, int h, const NumberOptions& options)
{
    return readInk(model, inkImage(gray, w, h, options.preprocess), options);
}

}  // namespace nn
