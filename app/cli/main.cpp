// digitpad-cli entry point: sets up QCoreApplication (needed for the data
// directory convention and image plugins) and hands over to cli::run().
#include "cli.h"

#include <QCoreApplication>

#include <iostream>


#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char* argv[])
{
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
