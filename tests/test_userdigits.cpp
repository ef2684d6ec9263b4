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
    // Labels: 3 3 3 3 3 7 7 1  -> within label 3, ranks 0..4: rank 1 held out;
    // label 7: rank 1 held out; label 1: none.
    const int labels[] = {3, 3, 7, 3, 3, 7, 3, 1};
    for (int i = 0; i < 8; ++i)
        s.add(digitImage(i).data(), labels[i]);
    const bool expected[] = {false, true, false, false, false, true, false, false};
    for (int i = 0; i < 8; ++i)
        QCOMPARE(s.isHeldOut(i), expected[i]);
    QCOMPARE(s.heldOutCount(), 2);
    auto [train, held] = s.split();
    QCOMPARE(train.size(), 6);
    QCOMPARE(held.size(), 2);
    QCOMPARE(int(held.labels[0]), 3);
    QCOMPARE(int(held.labels[1]), 7);
    const auto img1 = digitImage(1);
    QVERIFY(std::equal(img1.begin(), img1.end(), held.image(0)));
    // The same contents give the same split in another instance.
    UserDigitStore again(tmp.path().toStdString());
    again.load();
    for (int i = 0; i < 8; ++i)
        QCOMPARE(again.isHeldOut(i), expected[i]);
    // Ranks 1, 5, 9... : about a quarter of a large set.
    UserDigitStore big((tmp.path() + "/big").toStdString());
    for (int i = 0; i < 80; ++i)
        big.add(digitImage(i).data(), i % 10);
    QCOMPARE(big.heldOutCount(), 20);
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
