// The IDX reader on files the test writes itself: round trips (raw and gzip)
// and one corrupt file per validation rule, each checked for its exact message.
#include <nn/data/idx.h>
#include <nn/errors.h>

#include <QtTest>

#include <zlib.h>

#include <cstdio>
#include <numeric>

using namespace nn;

namespace {

QByteArray idxHeader(std::uint8_t type, std::uint8_t rank, const std::vector<std::uint32_t>& dims)
{
    QByteArray b;
    b.append(char(0)).append(char(0)).append(char(type)).append(char(rank));
    for (const std::uint32_t d : dims)
        for (const int sh : {24, 16, 8, 0})
            b.append(char(std::uint8_t(d >> sh)));
    return b;
}

std::string writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path.toStdString();
}

std::string writeGz(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const std::string path = dir.filePath(name).toStdString();
    gzFile gz = gzopen(path.c_str(), "wb");
    if (!gz)
        qFatal("gzopen failed");
    if (!bytes.isEmpty() && gzwrite(gz, bytes.constData(), unsigned(bytes.size())) != int(bytes.size()))
        qFatal("gzwrite failed");
    gzclose(gz);
    return path;
}

QByteArray readAll(const std::string& path)
{
    QFile f(QString::fromStdString(path));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", path.c_str());
    return f.readAll();
}

std::vector<std::uint8_t> pattern(std::size_t n)
{
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = std::uint8_t((i * 37 + 11) & 0xff);
    return v;
}

// Runs readIdx and returns the FileError it must throw.
struct Caught {
    bool thrown = false;
    std::string what, path;
    std::int64_t offset = -2;
};
Caught readExpectingError(const std::string& path)
{
    Caught c;
    try {
        readIdx(path);
    } catch (const FileError& e) {
        c.thrown = true;
        c.what = e.what();
        c.path = e.path();
        c.offset = e.offset();
    }
    return c;
}

}  // namespace

class TestIdx : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
    void gzipRoundTrip_data();
    void gzipRoundTrip();
    void parseFromMemory();
    void corrupt_data();
    void corrupt();
    void corruptGzip_data();
    void corruptGzip();
    void hugeHeaderIsRefusedFast();
    void gzipBombIsBounded();
    void missingFile();
    void writeRejectsBadShapes();

private:
    QTemporaryDir m_dir;
};

void TestIdx::roundTrip_data()
{
    QTest::addColumn<QList<int>>("dims");
    QTest::newRow("rank 1") << QList<int>{7};
    QTest::newRow("rank 2") << QList<int>{3, 5};
    QTest::newRow("rank 3 (images)") << QList<int>{5, 28, 28};
    QTest::newRow("rank 4") << QList<int>{2, 3, 4, 5};
    QTest::newRow("one element") << QList<int>{1};
}

void TestIdx::roundTrip()
{
    QFETCH(QList<int>, dims);
    const std::vector<int> d(dims.begin(), dims.end());
    const auto n = std::size_t(std::accumulate(d.begin(), d.end(), 1, std::multiplies<>()));
    const auto data = pattern(n);
    const std::string path = m_dir.filePath(QStringLiteral("rt-%1.idx").arg(dims.size())).toStdString();
    writeIdx(path, d, data);

    // The bytes on disk are exactly the format: magic, big-endian dims, data.
    const QByteArray raw = readAll(path);
    QCOMPARE(raw.size(), qsizetype(4 + 4 * d.size() + n));
    QCOMPARE(std::uint8_t(raw[2]), std::uint8_t(0x08));
    QCOMPARE(int(raw[3]), int(d.size()));
    QCOMPARE(std::uint8_t(raw[7]), std::uint8_t(d[0] & 0xff));

    const IdxArray a = readIdx(path);
    QCOMPARE(a.dims, d);
    QCOMPARE(a.data, data);
}

void TestIdx::gzipRoundTrip_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow(".gz suffix") << "images.idx.gz";
    // Detection is by the gzip magic, not by the name.
    QTest::newRow("no suffix") << "images-without-suffix";
}

void TestIdx::gzipRoundTrip()
{
    QFETCH(QString, name);
    const auto data = pattern(6 * 28 * 28);
    const std::string rawPath = m_dir.filePath(QStringLiteral("gz-source.idx")).toStdString();
    writeIdx(rawPath, {6, 28, 28}, data);
    const std::string gzPath = writeGz(m_dir, name, readAll(rawPath));
    QCOMPARE(std::uint8_t(readAll(gzPath)[0]), std::uint8_t(0x1f));

    const IdxArray a = readIdx(gzPath);
    QCOMPARE(a.dims, (std::vector<int>{6, 28, 28}));
    QCOMPARE(a.data, data);
}

void TestIdx::parseFromMemory()
{
    QByteArray bytes = idxHeader(0x08, 2, {2, 3});
    bytes.append("abcdef");
    const IdxArray a = parseIdx(reinterpret_cast<const std::uint8_t*>(bytes.constData()), std::size_t(bytes.size()),
                                "memory");
    QCOMPARE(a.dims, (std::vector<int>{2, 3}));
    QCOMPARE(std::string(a.data.begin(), a.data.end()), std::string("abcdef"));

    try {
        parseIdx(reinterpret_cast<const std::uint8_t*>(bytes.constData()), 10, "memory");
        QFAIL("a truncated buffer was accepted");
    } catch (const FileError& e) {
        QCOMPARE(std::string(e.what()), std::string("memory: truncated header: rank 2 needs 12 header bytes, "
                                                    "file has 10 (at byte 10)"));
    }
}

void TestIdx::corrupt_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");  // everything after "<path>: "
    QTest::addColumn<qint64>("offset");

    QTest::newRow("empty file") << QByteArray()
                                << "truncated header: file has 0 bytes, an IDX header needs at least 4 (at byte 0)"
                                << qint64(0);
    QTest::newRow("truncated magic") << QByteArray("\0\0", 2)
                                     << "truncated header: file has 2 bytes, an IDX header needs at least 4 (at byte 2)"
                                     << qint64(2);
    QTest::newRow("truncated dims") << idxHeader(0x08, 3, {5, 28, 28}).left(10)
                                    << "truncated header: rank 3 needs 16 header bytes, file has 10 (at byte 10)"
                                    << qint64(10);
    QTest::newRow("truncated data") << idxHeader(0x08, 3, {5, 28, 28}) + QByteArray(1000, 'x')
                                    << "truncated: header says 5x28x28 = 3920 bytes of data, file has 1000 "
                                       "(at byte 1016)"
                                    << qint64(1016);
    QTest::newRow("wrong magic") << QByteArray("PK\x03\x04") + QByteArray(20, '\0')
                                 << "wrong magic: expected 00 00 08 0r, found 50 4b 03 04 (not an IDX file) (at byte 0)"
                                 << qint64(0);
    QTest::newRow("wrong type code (int32)")
        << idxHeader(0x0C, 3, {1, 1, 1}) + QByteArray(4, '\0')
        << "wrong magic: expected 00 00 08 0r, found 00 00 0c 03 (elements are int32; only unsigned bytes, "
           "type code 08, are supported) (at byte 0)"
        << qint64(0);
    QTest::newRow("unknown type code") << idxHeader(0x42, 1, {1}) + QByteArray(1, '\0')
                                       << "wrong magic: expected 00 00 08 0r, found 00 00 42 01 (unknown element type "
                                          "code 42) (at byte 0)"
                                       << qint64(0);
    QTest::newRow("rank 0") << idxHeader(0x08, 0, {}) << "rank 0 is out of range 1..4 (at byte 3)" << qint64(3);
    QTest::newRow("rank 5") << idxHeader(0x08, 5, {1, 1, 1, 1, 1}) + QByteArray(1, '\0')
                            << "rank 5 is out of range 1..4 (at byte 3)" << qint64(3);
    QTest::newRow("zero dimension") << idxHeader(0x08, 3, {5, 28, 0})
                                    << "dimension 2 is 0 (shape 5x28x0) (at byte 12)" << qint64(12);
    QTest::newRow("trailing bytes") << idxHeader(0x08, 2, {2, 2}) + QByteArray(4 + 3, '\1')
                                    << "trailing data: header says 2x2 = 4 bytes of data, file has 3 extra bytes "
                                       "(at byte 16)"
                                    << qint64(16);
    QTest::newRow("over the element limit") << idxHeader(0x08, 3, {4000000000u, 28, 28})
                                            << "claims 4000000000x28x28 elements, more than the limit of 67108864 "
                                               "(at byte 4)"
                                            << qint64(4);
}

void TestIdx::corrupt()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    QFETCH(qint64, offset);
    const std::string path = writeFile(m_dir, QStringLiteral("corrupt-%1.idx").arg(QTest::currentDataTag()), bytes);
    const Caught c = readExpectingError(path);
    QVERIFY2(c.thrown, "the corrupt file was accepted");
    QCOMPARE(QString::fromStdString(c.what), QString::fromStdString(path) + ": " + message);
    QCOMPARE(c.path, path);
    QCOMPARE(qint64(c.offset), offset);
}

void TestIdx::corruptGzip_data()
{
    QTest::addColumn<QByteArray>("gz");      // bytes of the .gz file as written
    QTest::addColumn<QString>("phrase");     // must appear in the message

    // A valid gzip of a small, valid IDX file to cut and damage.
    QByteArray idx = idxHeader(0x08, 2, {4, 25});
    for (int i = 0; i < 100; ++i)
        idx.append(char(i * 7));
    const QTemporaryDir tmp;
    const QByteArray good = readAll(writeGz(tmp, "good.gz", idx));

    QTest::newRow("garbage after the magic") << QByteArray("\x1f\x8b\x08\x00" "garbagegarbagegarbage", 25)
                                             << "not a valid gzip stream (";
    QTest::newRow("bad compression method") << QByteArray("\x1f\x8b\x63\x00\x00\x00\x00\x00\x00\x03" "xyzxyz", 16)
                                            << "not a valid gzip stream (unknown compression method)";
    QTest::newRow("cut in half") << good.left(good.size() / 2)
                                 << "not a valid gzip stream (the compressed data ends unexpectedly)";
    QByteArray badCrc = good;
    badCrc[badCrc.size() - 8] = char(badCrc[badCrc.size() - 8] ^ 0x55);
    QTest::newRow("checksum mismatch") << badCrc << "not a valid gzip stream (incorrect data check)";
    QTest::newRow("garbage after the stream") << good + "junk"
                                              << "not a valid gzip stream (garbage after the end of the compressed data)";

    // Valid gzip whose content is a bad IDX file: sizes refer to the decompressed data.
    QTest::newRow("idx truncated inside gzip")
        << readAll(writeGz(tmp, "t.gz", idxHeader(0x08, 3, {3, 28, 28}) + QByteArray(50, 'x')))
        << "truncated: header says 3x28x28 = 2352 bytes of data, decompressed data has 50";
    QTest::newRow("idx trailing inside gzip")
        << readAll(writeGz(tmp, "tr.gz", idxHeader(0x08, 1, {3}) + QByteArray(3 + 9, 'x')))
        << "trailing data: header says 3 = 3 bytes of data, decompressed data has 9 extra bytes (at byte 11)";
    QTest::newRow("wrong magic inside gzip") << readAll(writeGz(tmp, "m.gz", QByteArray("\x00\x00\x0d\x01\x00\x00\x00\x01"
                                                                                         "abcd", 12)))
                                             << "wrong magic: expected 00 00 08 0r, found 00 00 0d 01";
}

void TestIdx::corruptGzip()
{
    QFETCH(QByteArray, gz);
    QFETCH(QString, phrase);
    const std::string path = writeFile(m_dir, QStringLiteral("bad-%1.gz").arg(QTest::currentDataTag()), gz);
    const Caught c = readExpectingError(path);
    QVERIFY2(c.thrown, "the corrupt gzip file was accepted");
    const QString what = QString::fromStdString(c.what);
    QVERIFY2(what.startsWith(QString::fromStdString(path) + ": "), qPrintable(what));
    QVERIFY2(what.contains(phrase), qPrintable(what));
    QCOMPARE(c.path, path);
    QVERIFY(c.offset >= 0);
}

void TestIdx::hugeHeaderIsRefusedFast()
{
    // A 16-byte file claiming 4e9 images: refused from the header alone, long
    // before anything near its claimed 3 TB could be allocated or read.
    const std::string path = writeFile(m_dir, "huge.idx", idxHeader(0x08, 3, {4000000000u, 28, 28}));
    const std::string gzPath = writeGz(m_dir, "huge.idx.gz", idxHeader(0x08, 3, {4000000000u, 28, 28}));
    QElapsedTimer timer;
    timer.start();
    for (const std::string& p : {path, gzPath}) {
        const Caught c = readExpectingError(p);
        QVERIFY(c.thrown);
        QVERIFY2(QString::fromStdString(c.what).contains("claims 4000000000x28x28 elements, more than the limit of"),
                 c.what.c_str());
    }
    // Also just under 2^32 per dimension in every dimension: no overflow.
    const std::string wrap = writeFile(m_dir, "wrap.idx", idxHeader(0x08, 4, {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 2}));
    QVERIFY(QString::fromStdString(readExpectingError(wrap).what).contains("more than the limit of 67108864"));
    QVERIFY2(timer.elapsed() < 200, qPrintable(QStringLiteral("took %1 ms").arg(timer.elapsed())));
}

void TestIdx::gzipBombIsBounded()
{
    // 4 bytes of data followed by 70 MiB of zeros, which compress to a few
    // dozen KB: decompression must stop at the size limit, not fill memory.
    const std::string path = m_dir.filePath("bomb.gz").toStdString();
    gzFile gz = gzopen(path.c_str(), "wb9");
    QVERIFY(gz);
    const QByteArray head = idxHeader(0x08, 1, {4}) + QByteArray("abcd");
    gzwrite(gz, head.constData(), unsigned(head.size()));
    const QByteArray zeros(1 << 20, '\0');
    for (int i = 0; i < 70; ++i)
        gzwrite(gz, zeros.constData(), unsigned(zeros.size()));
    gzclose(gz);
    QVERIFY(QFileInfo(QString::fromStdString(path)).size() < 1 << 20);

    const Caught c = readExpectingError(path);
    QVERIFY(c.thrown);
    QCOMPARE(QString::fromStdString(c.what),
             QString::fromStdString(path) +
                 ": trailing data: header says 4 = 4 bytes of data, decompressed data has more than 67108872 extra "
                 "bytes (output larger than the limit of 67108884 bytes) (at byte 12)");
}

void TestIdx::missingFile()
{
    const std::string path = m_dir.filePath("does-not-exist.idx").toStdString();
    const Caught c = readExpectingError(path);
    QVERIFY(c.thrown);
    QCOMPARE(QString::fromStdString(c.what), QString::fromStdString(path) + ": cannot open: No such file or directory");
    QCOMPARE(c.offset, std::int64_t(-1));
}

void TestIdx::writeRejectsBadShapes()
{
    const std::string path = m_dir.filePath("w.idx").toStdString();
    QVERIFY_THROWS_EXCEPTION(ShapeError, writeIdx(path, {}, {}));
    QVERIFY_THROWS_EXCEPTION(ShapeError, writeIdx(path, {1, 1, 1, 1, 1}, {0}));
    QVERIFY_THROWS_EXCEPTION(ShapeError, writeIdx(path, {2, 0}, {}));
    try {
        writeIdx(path, {2, 3}, std::vector<std::uint8_t>(5));
        QFAIL("a size mismatch was written");
    } catch (const ShapeError& e) {
        QCOMPARE(std::string(e.what()), "writeIdx " + path + ": shape 2x3 needs 6 bytes, got 5");
    }
    QVERIFY(!QFile::exists(QString::fromStdString(path)));
}

QTEST_APPLESS_MAIN(TestIdx)
#include "test_idx.moc"
