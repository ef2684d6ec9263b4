#pragma once
// The training progress bar on stderr, shared by train and sweep.
#include "format.h"

#include <nn/trainer.h>

#include <chrono>
#include <ostream>
#include <string>
#include <utility>

namespace app::cli {

// The progress bar on stderr: redrawn in place on a terminal, otherwise one
// plain line every ~2 seconds so that logs stay readable.
class ProgressPrinter {
public:
    using Clock = std::chrono::steady_clock;

    ProgressPrinter(std::ostream& err, bool terminal, int width)
        : m_err(err), m_terminal(terminal), m_width(width), m_last(Clock::now())
    {
    }
    // A run that fails leaves no half bar for the error message to follow on
    // the same line (the message is printed after this is gone).
    ~ProgressPrinter() { clear(); }

    void batch(const nn::BatchReport& r)
    {
        const auto now = Clock::now();
        if (m_terminal) {
            // Every batch arrives here; redraw ten times a second and on each epoch's last batch.
            if (now - m_last < std::chrono::milliseconds(100) && r.batch != r.batches)
                return;
            m_last = now;
            const std::string line = m_prefix + progressLine(r, true, m_width - int(m_prefix.size()));
            m_err << '\r' << line;
            if (line.size() < m_shown)
                m_err << std::string(m_shown - line.size(), ' ');
            m_err.flush();
            m_shown = line.size();
            return;
        }
        if (now - m_last < std::chrono::seconds(2))
            return;
        m_last = now;
        m_err << m_prefix << progressLine(r, false, 0) << '\n';
        m_err.flush();
    }

    // Text before the bar ("trial 3/20 fold 2/5 ").
    void setPrefix(std::string prefix) { m_prefix = std::move(prefix); }

    // Erases the bar before something is printed on stdout (which may share the terminal).
    void clear()
    {
        if (!m_terminal || m_shown == 0)
            return;
        m_err << '\r' << std::string(m_shown, ' ') << '\r';
        m_err.flush();
        m_shown = 0;
    }

private:
    std::ostream& m_err;
    bool m_terminal;
    int m_width;
    std::size_t m_shown = 0;
    std::string m_prefix;
    Clock::time_point m_last;  // of the last redraw or plain line
};

}  // namespace app::cli
