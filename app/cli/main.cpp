// digitpad-cli entry point: sets up QCoreApplication (needed for the data
// directory convention and image plugins) and hands over to cli::run().
#include "cli.h"

#include <QCoreApplication>
#include <QStringDecoder>

#include <cstdio>
#include <iostream>
#include <string>

#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char* argv[])
{
    // Qt reads arguments (and so file names) as UTF-8, replacing bytes that
    // are not: a file named in another encoding would then be "no such
    // file". Say what is wrong instead.
    for (int i = 1; i < argc; ++i) {
        QStringDecoder utf8(QStringDecoder::Utf8);
        (void)QString(utf8.decode(QByteArrayView(argv[i])));
        if (!utf8.hasError())
            continue;
        std::string shown;
        for (const char* c = argv[i]; *c; ++c) {
            const auto b = static_cast<unsigned char>(*c);
            if (b < 0x20 || b >= 0x7f) {
                char hex[5];
                std::snprintf(hex, sizeof hex, "\\x%02x", b);
                shown += hex;
            } else {
                shown += *c;
            }
        }
        std::cerr << "digitpad-cli: argument " << i << " (" << shown
                  << ") is not valid UTF-8; DigitPad reads file names as UTF-8, so rename the file "
                     "(e.g. convmv -f latin1 -t utf-8)\n";
        return 2;
    }
    QCoreApplication qapp(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("DigitPad"));
    QCoreApplication::setApplicationName(QStringLiteral("DigitPad"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DIGITPAD_VERSION_STRING));

    const bool tty = ::isatty(STDERR_FILENO) == 1;
    int width = 80;
    if (tty) {
        winsize ws{};
        if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
            width = ws.ws_col;
    }
    const app::cli::Io io{std::cout, std::cerr, tty, width};
    const int code = app::cli::run(QCoreApplication::arguments(), io);
    std::cout.flush();
    return code;
}
