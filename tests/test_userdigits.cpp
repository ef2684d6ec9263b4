// The "my digits" store: add, relabel, remove, persistence across instances,
// the deterministic held-out split, atomic generations, and damaged files
// reported with the file's name.
#include <nn/data/idx.h>
#include <nn/data/userdigits.h>
#include <nn/errors.h>

#include <QTemporaryDir>
#include <QtTest>

#include <array>
#include <filesystem>
#include <fstream>

using namespace nn;
namespace fs = std::filesystem;

namespace {

std::array<std::uint8_t, 784> digitImage(int seed)
{
    std::array<std::uint8_t, 784> img{};
    for (int i = 0; i < 784; ++i)
        img[std::size_t(i)] = std::uint8_t((i * 7 + seed * 31) % 256);
    return img;
}

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << text;
}

std::vector<std::string> filesIn(const std::string& dir)
{
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// Expects load() to throw a FileError whose message contains `part`.
void expectLoadError(const std::string& dir, const std::string& part)
{
    UserDigitStore s(dir);
    try {
        s.load();
        QFAIL(("no error; expected one mentioning: " + part).c_str());
    } catch (const FileError& e) {
        const std::string what = e.what();
        if (what.find(part) == std::string::npos)
            QFAIL(("error '" + what + "' does not mention '" + part + "'").c_str());
    }
}

}  // namespace

class TestUserDigits : public QObject {
    Q_OBJECT
private slots:
    void missingDirectoryIsAnEmptyStore();
    void addRelabelRemoveAndPersist();
    void floatInputIsQuantised();
    void heldOutSplitIsDeterministicPerLabel();
    void onlyTheCurrentGenerationStaysOnDisk();
    void badArgumentsAreRefused();
    void failedWriteLeavesTheStoreUnchanged();
    void damagedFilesAreReported();
};

void TestUserDigits::missingDirectoryIsAnEmptyStore()
{
    QTemporaryDir tmp;
    UserDigitStore s((tmp.path() + "/does/not/exist").toStdString());
    s.load();
    QCOMPARE(s.size(), 0);
    QVERIFY(s.empty());
    auto [train, held] = s.split();
    QCOMPARE(train.size(), 0);
    QCOMPARE(held.size(), 0);
    QCOMPARE(s.data().rows, 28);
}

void TestUserDigits::addRelabelRemoveAndPersist()
{
    QTemporaryDir tmp;
    const std::string dir = (tmp.path() + "/mydigits").toStdString();
    {
        UserDigitStore s(dir);
        s.load();
        for (int i = 0; i < 5; ++i)
            s.add(digitImage(i).data(), i % 3);
        QCOMPARE(s.size(), 5);
        s.relabel(1, 9);
        s.remove(3);  // the fourth (seed 3, label 0)
        QCOMPARE(s.size(), 4);
    }
    UserDigitStore again(dir);
    again.load();
    QCOMPARE(again.size(), 4);
    const int expectedLabels[] = {0, 9, 2, 1};
    const int expectedSeeds[] = {0, 1, 2, 4};
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(again.label(i), expectedLabels[i]);
        const auto img = digitImage(expectedSeeds[i]);
        QVERIFY(std::equal(img.begin(), img.end(), again.image(i)));
    }
    // The files are ordinary IDX files that the dataset loader reads.
    again.clear();
    QCOMPARE(again.size(), 0);
    UserDigitStore cleared(dir);
    cleared.load();
    QCOMPARE(cleared.size(), 0);
}

void TestUserDigits::floatInputIsQuantised()
{
    QTemporaryDir tmp;
    UserDigitStore s(tmp.path().toStdString());
    std::array<float, 784> in{};
    in[0] = 1.0f;
    in[1] = 0.5f;
    in[2] = -3.0f;  // clamped
    in[3] = 7.0f;   // clamped
    in[4] = std::numeric_limits<float>::quiet_NaN();
    s.add(in.data(), 4);
    QCOMPARE(int(s.image(0)[0]), 255);
    QCOMPARE(int(s.image(0)[1]), 128);
    QCOMPARE(int(s.image(0)[2]), 0);
    QCOMPARE(int(s.image(0)[3]), 255);
    QCOMPARE(int(s.image(0)[4]), 0);
}

void TestUserDigits::heldOutSplitIsDeterministicPerLabel()
{
    QTemporaryDir tmp;
    UserDigitStore s(tmp.path().toStdString());
    const int labels[] = {3, 3, 7, 3, 3, 7, 3, 1, 3, 3, 7, 1, 2, 2, 3, 3};
    const int n = int(std::size(labels));
    for (int i = 0; i < n; ++i)
        s.add(digitImage(i).data(), labels[i]);
    std::vector<bool> wasHeld(static_cast<std::size_t>(n));
    int heldBefore = 0;
    for (int i = 0; i < n; ++i)
        heldBefore += (wasHeld[std::size_t(i)] = s.isHeldOut(i));
    QCOMPARE(s.heldOutCount(), heldBefore);
    QVERIFY2(heldBefore > 0 && heldBefore < n, qPrintable(QString::number(heldBefore)));
    auto [train, held] = s.split();
    QCOMPARE(train.size(), n - heldBefore);
    QCOMPARE(held.size(), heldBefore);
    for (int i = 0, k = 0; i < n; ++i)
        if (wasHeld[std::size_t(i)]) {
            const auto img = digitImage(i);
            QVERIFY(std::equal(img.begin(), img.end(), held.image(k)));
            QCOMPARE(int(held.labels[std::size_t(k++)]), labels[i]);
        }

    // Relabelling any digit moves no digit between the parts (it used to
    // follow each digit's rank within its label, so relabelling one 3
    // changed which later 3s and 5s were held out).
    for (int r = 0; r < n; ++r) {
        QVERIFY(s.label(r) != 5);
        const int old = s.label(r);
        s.relabel(r, 5);
        for (int i = 0; i < n; ++i)
            QVERIFY2(s.isHeldOut(i) == wasHeld[std::size_t(i)],
                     qPrintable(QStringLiteral("relabelling %1 moved %2").arg(r).arg(i)));
        s.relabel(r, old);
    }
    // Removing one keeps every other digit where it was.
    s.remove(0);
    for (int i = 1; i < n; ++i)
        QCOMPARE(s.isHeldOut(i - 1), bool(wasHeld[std::size_t(i)]));
    // The same contents give the same split in another instance.
    UserDigitStore again(tmp.path().toStdString());
    again.load();
    for (int i = 1; i < n; ++i)
        QCOMPARE(again.isHeldOut(i - 1), bool(wasHeld[std::size_t(i)]));
    // About a quarter of a large set.
    UserDigitStore big((tmp.path() + "/big").toStdString());
    for (int i = 0; i < 400; ++i)
        big.add(digitImage(i).data(), i % 10);
    QVERIFY2(big.heldOutCount() >= 70 && big.heldOutCount() <= 130, qPrintable(QString::number(big.heldOutCount())));
}

void TestUserDigits::onlyTheCurrentGenerationStaysOnDisk()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.path().toStdString();
    UserDigitStore s(dir);
    s.add(digitImage(0).data(), 1);
    s.add(digitImage(1).data(), 2);
    s.relabel(0, 5);
    const auto files = filesIn(dir);
    QCOMPARE(files.size(), std::size_t(3));
    QCOMPARE(files[0], std::string("digits.manifest"));
    QCOMPARE(files[1], std::string("images-3-idx3-ubyte"));
    QCOMPARE(files[2], std::string("labels-3-idx1-ubyte"));
    // A half-written next generation (a crash before the manifest) is ignored.
    writeText(dir + "/images-4-idx3-ubyte", "garbage");
    UserDigitStore again(dir);
    again.load();
    QCOMPARE(again.size(), 2);
    QCOMPARE(again.label(0), 5);
    again.remove(1);  // overwrites the stray generation 4
    UserDigitStore third(dir);
    third.load();
    QCOMPARE(third.size(), 1);
}

void TestUserDigits::badArgumentsAreRefused()
{
    QTemporaryDir tmp;
    UserDigitStore s(tmp.path().toStdString());
    s.add(digitImage(0).data(), 1);
    QVERIFY_THROWS_EXCEPTION(Error, s.add(digitImage(0).data(), 10));
    QVERIFY_THROWS_EXCEPTION(Error, s.add(digitImage(0).data(), -1));
    QVERIFY_THROWS_EXCEPTION(Error, s.relabel(1, 3));
    QVERIFY_THROWS_EXCEPTION(Error, s.relabel(0, 11));
    QVERIFY_THROWS_EXCEPTION(Error, s.remove(-1));
    QVERIFY_THROWS_EXCEPTION(Error, s.image(5));
    QCOMPARE(s.size(), 1);
}

void TestUserDigits::failedWriteLeavesTheStoreUnchanged()
{
    QTemporaryDir tmp;
    const std::string file = (tmp.path() + "/plainfile").toStdString();
    writeText(file, "x");
    UserDigitStore s(file + "/sub");  // a directory below a file cannot be created
    try {
        s.add(digitImage(0).data(), 1);
        QFAIL("expected a FileError");
    } catch (const FileError& e) {
        QVERIFY2(std::string(e.what()).find("plainfile") != std::string::npos, e.what());
    }
    QCOMPARE(s.size(), 0);
}

void TestUserDigits::damagedFilesAreReported()
{
    QTemporaryDir tmp;
    const std::string dir = tmp.path().toStdString();
    {
        UserDigitStore s(dir);
        for (int i = 0; i < 3; ++i)
            s.add(digitImage(i).data(), i);
    }
    const std::string manifest = dir + "/digits.manifest";
    const std::string images = dir + "/images-3-idx3-ubyte";
    const std::string labels = dir + "/labels-3-idx1-ubyte";
    std::string good;
    {
        std::ifstream f(manifest);
        good.assign(std::istreambuf_iterator<char>(f), {});
    }

    writeText(manifest, "hello\n");
    expectLoadError(dir, "not a DigitPad user digits manifest");
    writeText(manifest, "digitpad-user-digits 1\ngeneration x\ncount 3\n");
    expectLoadError(dir, "malformed manifest line 'generation x'");
    writeText(manifest, "digitpad-user-digits 1\ngeneration 3\n");
    expectLoadError(dir, "lacks its 'generation' or 'count'");
    writeText(manifest, "digitpad-user-digits 1\ngeneration 3\ncount 4\n");
    expectLoadError(dir, "holds 3 digits but the manifest");
    writeText(manifest, "digitpad-user-digits 1\ngeneration 9\ncount 3\n");
    expectLoadError(dir, "images-9-idx3-ubyte");  // missing file named
    writeText(manifest, good);

    // Truncated images file: named, with the offset.
    std::vector<std::uint8_t> bytes;
    {
        std::ifstream f(images, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(f), {});
    }
    {
        std::ofstream f(images, std::ios::binary | std::ios::trunc);
        f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size() - 100));
    }
    expectLoadError(dir, "images-3-idx3-ubyte");
    {
        std::ofstream f(images, std::ios::binary | std::ios::trunc);
        f.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    }
    // A label out of range.
    writeIdx(labels, {3}, {1, 2, 12});
    expectLoadError(dir, "label 12 at index 2 is out of range");
    // Labels and images disagree.
    writeIdx(labels, {2}, {1, 2});
    expectLoadError(dir, "labels-3-idx1-ubyte");
    // Images of the wrong size.
    writeIdx(labels, {3}, {0, 1, 2});
    writeIdx(images, {3, 14, 14}, std::vector<std::uint8_t>(3 * 14 * 14, 0));
    expectLoadError(dir, "user digits must be 28x28, found 14x14");
}

QTEST_GUILESS_MAIN(TestUserDigits)
#include "test_userdigits.moc"
