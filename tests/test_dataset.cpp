// Dataset loading from tiny IDX fixtures (and real MNIST when present),
// seeded shuffling, the validation split, subset and append.
#include "mnist_check.h"
#include <nn/data/dataset.h>
#include <nn/data/idx.h>
#include <nn/errors.h>

#include <QtTest>

#include <zlib.h>

#include <algorithm>
#include <set>

using namespace nn;

namespace {

// Image i has value 10*i + 1 at pixel i (mod pixels), the rest 0.
std::vector<std::uint8_t> fixtureImages(int n, int rows, int cols)
{
    std::vector<std::uint8_t> v(std::size_t(n) * rows * cols, 0);
    for (int i = 0; i < n; ++i)
        v[std::size_t(i) * rows * cols + std::size_t(i % (rows * cols))] = std::uint8_t(10 * i + 1);
    return v;
}

struct Fixture {
    std::string images, labels;
};

Fixture writeFixture(const QString& dir, const QString& prefix, int nImages, const std::vector<std::uint8_t>& labels,
                     int rows = 28, int cols = 28)
{
    Fixture f;
    f.images = (dir + "/" + prefix + "-images-idx3-ubyte").toStdString();
    f.labels = (dir + "/" + prefix + "-labels-idx1-ubyte").toStdString();
    writeIdx(f.images, {nImages, rows, cols}, fixtureImages(nImages, rows, cols));
    writeIdx(f.labels, {int(labels.size())}, labels);
    return f;
}

void gzipFile(const std::string& from, const std::string& to)
{
    QFile in(QString::fromStdString(from));
    if (!in.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", from.c_str());
    const QByteArray bytes = in.readAll();
    gzFile gz = gzopen(to.c_str(), "wb");
    gzwrite(gz, bytes.constData(), unsigned(bytes.size()));
    gzclose(gz);
}

// A dataset whose image i is 1x2 pixels holding i (little-endian), so a
// sample's identity survives subset/split.
Dataset numbered(int n)
{
    Dataset d;
    d.rows = 1;
    d.cols = 2;
    for (int i = 0; i < n; ++i) {
        d.images.push_back(std::uint8_t(i & 0xff));
        d.images.push_back(std::uint8_t(i >> 8));
        d.labels.push_back(std::uint8_t(i % 10));
    }
    return d;
}
int idOf(const Dataset& d, int i) { return d.image(i)[0] | d.image(i)[1] << 8; }
std::vector<int> ids(const Dataset& d)
{
    std::vector<int> v;
    for (int i = 0; i < d.size(); ++i)
        v.push_back(idOf(d, i));
    return v;
}

std::string errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

class TestDataset : public QObject {
    Q_OBJECT
private slots:
    void loadFixture();
    void loadMnistRawAndGz_data();
    void loadMnistRawAndGz();
    void mismatchedCounts();
    void labelOutOfRange();
    void wrongRanks();
    void missingFiles();
    void shuffledIndicesIsASeededPermutation();
    void shuffledIndicesGolden();
    void splitValidation_data();
    void splitValidation();
    void splitValidationDeterministic();
    void subsetAndAppend();
    void realMnist();

private:
    QTemporaryDir m_dir;
};

void TestDataset::loadFixture()
{
    const QString dir = m_dir.filePath("fixture");
    QDir().mkpath(dir);
    const Fixture f = writeFixture(dir, "train", 5, {5, 0, 4, 1, 9});
    const Dataset d = Dataset::load(f.images, f.labels);
    QCOMPARE(d.size(), 5);
    QCOMPARE(d.rows, 28);
    QCOMPARE(d.cols, 28);
    QCOMPARE(d.pixels(), 784);
    QCOMPARE(d.labels, (std::vector<std::uint8_t>{5, 0, 4, 1, 9}));
    QCOMPARE(d.images, fixtureImages(5, 28, 28));
    QCOMPARE(int(d.image(3)[3]), 31);

    std::vector<float> px(784, -1.0f);
    d.imageAsFloat(4, px.data());
    QCOMPARE(px[4], 41.0f / 255.0f);
    QCOMPARE(px[0], 0.0f);
    QCOMPARE(int(std::count(px.begin(), px.end(), 0.0f)), 783);
}

void TestDataset::loadMnistRawAndGz_data()
{
    QTest::addColumn<bool>("gzImages");
    QTest::addColumn<bool>("gzLabels");
    QTest::addColumn<int>("split");
    QTest::newRow("raw train") << false << false << int(Split::Train);
    QTest::newRow("raw test") << false << false << int(Split::Test);
    QTest::newRow("gz images, raw labels") << true << false << int(Split::Train);
    QTest::newRow("gz both, test") << true << true << int(Split::Test);
}

void TestDataset::loadMnistRawAndGz()
{
    QFETCH(bool, gzImages);
    QFETCH(bool, gzLabels);
    QFETCH(int, split);
    const QString dir = m_dir.filePath(QStringLiteral("mnist-%1").arg(QTest::currentDataTag()).replace(' ', '_'));
    QDir().mkpath(dir);
    const bool train = Split(split) == Split::Train;
    const std::vector<std::uint8_t> labels = train ? std::vector<std::uint8_t>{5, 0, 4, 1, 9}
                                                   : std::vector<std::uint8_t>{7, 2, 1, 0, 4};
    Fixture f = writeFixture(dir, train ? "train" : "t10k", 5, labels);
    // A decoy of the other split must not be picked up.
    writeFixture(dir, train ? "t10k" : "train", 3, {1, 1, 1});
    if (gzImages) {
        gzipFile(f.images, f.images + ".gz");
        QFile::remove(QString::fromStdString(f.images));
        f.images += ".gz";
    }
    if (gzLabels) {
        gzipFile(f.labels, f.labels + ".gz");
        QFile::remove(QString::fromStdString(f.labels));
        f.labels += ".gz";
    }
    QCOMPARE(findMnistFile(dir.toStdString(), train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte"), f.images);
    const Dataset d = Dataset::loadMnist(dir.toStdString(), Split(split));
    QCOMPARE(d.size(), 5);
    QCOMPARE(d.labels, labels);
    QCOMPARE(d.images, fixtureImages(5, 28, 28));
}

void TestDataset::mismatchedCounts()
{
    const QString dir = m_dir.filePath("mismatch");
    QDir().mkpath(dir);
    const Fixture f = writeFixture(dir, "train", 5, {1, 2, 3, 4});
    const std::string what = errorOf([&] { Dataset::load(f.images, f.labels); });
    QCOMPARE(what, f.labels + ": images file has 5 images, labels file has 4 labels (images: " + f.images +
                       ") (at byte 4)");
}

void TestDataset::labelOutOfRange()
{
    const QString dir = m_dir.filePath("badlabel");
    QDir().mkpath(dir);
    const Fixture f = writeFixture(dir, "t10k", 7, {0, 1, 2, 3, 4, 12, 5});
    try {
        Dataset::loadMnist(dir.toStdString(), Split::Test);
        QFAIL("a label of 12 was accepted");
    } catch (const FileError& e) {
        QCOMPARE(std::string(e.what()), f.labels + ": label 12 at index 5 is out of range 0..9 (at byte 13)");
        QCOMPARE(e.path(), f.labels);
        QCOMPARE(e.offset(), std::int64_t(13));
    }
}

void TestDataset::wrongRanks()
{
    const QString dir = m_dir.filePath("ranks");
    QDir().mkpath(dir);
    const std::string images = (dir + "/img").toStdString();
    const std::string labels = (dir + "/lab").toStdString();
    writeIdx(images, {3, 4}, std::vector<std::uint8_t>(12));
    writeIdx(labels, {3}, {0, 1, 2});
    QCOMPARE(errorOf([&] { Dataset::load(images, labels); }),
             images + ": expected an images file of rank 3 (count x rows x cols), found rank 2 (at byte 3)");
    writeIdx(images, {3, 2, 2}, std::vector<std::uint8_t>(12));
    writeIdx(labels, {3, 1}, {0, 1, 2});
    QCOMPARE(errorOf([&] { Dataset::load(images, labels); }),
             labels + ": expected a labels file of rank 1 (count), found rank 2 (at byte 3)");
}

void TestDataset::missingFiles()
{
    const QString dir = m_dir.filePath("empty");
    QDir().mkpath(dir);
    // Only the labels are there: the message names what is missing.
    writeIdx((dir + "/train-labels-idx1-ubyte").toStdString(), {1}, {3});
    try {
        Dataset::loadMnist(dir.toStdString(), Split::Train);
        QFAIL("loading from a directory without images succeeded");
    } catch (const FileError& e) {
        const QString what = QString::fromStdString(e.what());
        QCOMPARE(e.path(), dir.toStdString());
        QVERIFY2(what.contains("the MNIST files were not found in " + dir + " (missing train-images-idx3-ubyte, raw "
                                                                          "or .gz)"),
                 qPrintable(what));
        QVERIFY2(what.contains("scripts/fetch-mnist"), qPrintable(what));
    }
    QCOMPARE(errorOf([&] { Dataset::loadMnist(dir.toStdString(), Split::Test); }).find(
                 "(missing t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, raw or .gz)") != std::string::npos,
             true);
    QCOMPARE(findMnistFile(dir.toStdString(), "t10k-images-idx3-ubyte"), std::string());
}

void TestDataset::shuffledIndicesIsASeededPermutation()
{
    for (const int n : {0, 1, 2, 10, 1000}) {
        const auto a = shuffledIndices(n, 42);
        QCOMPARE(int(a.size()), n);
        auto sorted = a;
        std::sort(sorted.begin(), sorted.end());
        for (int i = 0; i < n; ++i)
            QCOMPARE(sorted[std::size_t(i)], i);
        QCOMPARE(shuffledIndices(n, 42), a);  // same seed, same order
    }
    const auto a = shuffledIndices(1000, 1), b = shuffledIndices(1000, 2);
    QVERIFY(a != b);
    // A real shuffle moves most elements (a fixed point has probability 1/n).
    int fixed = 0;
    for (int i = 0; i < 1000; ++i)
        fixed += a[std::size_t(i)] == i;
    QVERIFY2(fixed < 10, qPrintable(QString::number(fixed)));
}

void TestDataset::shuffledIndicesGolden()
{
    // Pinned so that a change of generator or algorithm (which would silently
    // change every training run's order) is noticed.
    QCOMPARE(shuffledIndices(10, 42), (std::vector<int>{0, 9, 5, 8, 6, 4, 7, 2, 1, 3}));
}

void TestDataset::splitValidation_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("fraction");
    QTest::addColumn<int>("expectVal");
    QTest::newRow("100 x 0.2") << 100 << 0.2 << 20;
    QTest::newRow("fraction 0") << 50 << 0.0 << 0;
    QTest::newRow("fraction 1") << 7 << 1.0 << 7;
    QTest::newRow("rounds") << 10 << 0.25 << 3;  // 2.5 rounds away from zero
    QTest::newRow("60000 x 1/12") << 60000 << 1.0 / 12 << 5000;
}

void TestDataset::splitValidation()
{
    QFETCH(int, n);
    QFETCH(double, fraction);
    QFETCH(int, expectVal);
    const Dataset d = numbered(n);
    const auto [train, val] = d.splitValidation(fraction, 7);
    QCOMPARE(val.size(), expectVal);
    QCOMPARE(train.size(), n - expectVal);
    QCOMPARE(train.rows, 1);
    QCOMPARE(val.cols, 2);
    // Disjoint, together everything, each half in the original order, and
    // labels travel with their images.
    std::vector<int> all = ids(train);
    const std::vector<int> v = ids(val);
    QVERIFY(std::is_sorted(all.begin(), all.end()));
    QVERIFY(std::is_sorted(v.begin(), v.end()));
    all.insert(all.end(), v.begin(), v.end());
    std::sort(all.begin(), all.end());
    for (int i = 0; i < n; ++i)
        QCOMPARE(all[std::size_t(i)], i);
    for (int i = 0; i < val.size(); ++i)
        QCOMPARE(int(val.labels[std::size_t(i)]), idOf(val, i) % 10);
}

void TestDataset::splitValidationDeterministic()
{
    const Dataset d = numbered(500);
    const auto a = d.splitValidation(0.1, 99);
    const auto b = d.splitValidation(0.1, 99);
    const auto c = d.splitValidation(0.1, 100);
    QCOMPARE(ids(a.second), ids(b.second));
    QCOMPARE(ids(a.first), ids(b.first));
    QVERIFY(ids(a.second) != ids(c.second));
    // The validation set is a spread-out sample, not a block at either end.
    const auto v = ids(a.second);
    QVERIFY(v.front() < 100 && v.back() > 400);
    QCOMPARE(errorOf([&] { d.splitValidation(1.5, 1); }), std::string("validation fraction 1.500000 is out of range 0..1"));
}

void TestDataset::subsetAndAppend()
{
    const Dataset d = numbered(10);
    const Dataset s = d.subset({7, 2, 2, 9});
    QCOMPARE(ids(s), (std::vector<int>{7, 2, 2, 9}));
    QCOMPARE(s.labels, (std::vector<std::uint8_t>{7, 2, 2, 9}));
    QCOMPARE(d.subset({}).size(), 0);
    QCOMPARE(errorOf([&] { d.subset({3, 10}); }), std::string("subset: index 10 is out of range 0..9"));
    QVERIFY_THROWS_EXCEPTION(ShapeError, d.subset({-1}));

    Dataset acc;  // empty: takes the shape of what is appended first
    acc.append(s);
    acc.append(d.subset({0}));
    QCOMPARE(acc.rows, 1);
    QCOMPARE(acc.cols, 2);
    QCOMPARE(ids(acc), (std::vector<int>{7, 2, 2, 9, 0}));
    QCOMPARE(acc.labels, (std::vector<std::uint8_t>{7, 2, 2, 9, 0}));

    Dataset other;
    other.rows = other.cols = 28;
    other.images.assign(784, 0);
    other.labels = {1};
    QCOMPARE(errorOf([&] { acc.append(other); }), std::string("append: cannot add 28x28 images to a set of 1x2 images"));
    QCOMPARE(acc.size(), 5);  // unchanged after the failed append
}

void TestDataset::realMnist()
{
    DIGITPAD_MNIST_CHECK_RUNS_SEPARATELY();
    QString dir = qEnvironmentVariable("DIGITPAD_DATA");
    if (dir.isEmpty())
        dir = QDir::homePath() + "/.local/share/DigitPad/mnist";
    if (findMnistFile(dir.toStdString(), "train-images-idx3-ubyte").empty() ||
        findMnistFile(dir.toStdString(), "t10k-labels-idx1-ubyte").empty())
        DIGITPAD_SKIP_WITHOUT_MNIST("real MNIST not found in " + dir + " (set DIGITPAD_DATA or run scripts/fetch-mnist)");

    const Dataset train = Dataset::loadMnist(dir.toStdString(), Split::Train);
    QCOMPARE(train.size(), 60000);
    QCOMPARE(train.rows, 28);
    QCOMPARE(train.cols, 28);
    QCOMPARE(int(train.labels[0]), 5);
    QCOMPARE(int(train.labels[1]), 0);
    const Dataset test = Dataset::loadMnist(dir.toStdString(), Split::Test);
    QCOMPARE(test.size(), 10000);
    QCOMPARE(int(test.labels[0]), 7);
    // Every digit occurs; the least frequent training class (5) has 5421 samples.
    std::array<int, 10> counts{};
    for (const auto l : train.labels)
        ++counts[l];
    QCOMPARE(*std::min_element(counts.begin(), counts.end()), 5421);
    QCOMPARE(counts[1], 6742);
}

QTEST_APPLESS_MAIN(TestDataset)
#include "test_dataset.moc"
