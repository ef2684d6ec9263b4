// Accessibility (issue 19): on every page of the main window, in English and
// in Chinese, each interactive widget that a screen reader can reach has an
// accessible name, and Tab reaches every one of them.
#include "common/language.h"
#include "main_window.h"
#include "panels/probability_view.h"

#include <QAccessible>
#include <QAbstractButton>
#include <QApplication>
#include <QRadioButton>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>

#include <array>
#include <functional>

namespace {

bool interactive(QAccessibleInterface* a)
{
    switch (a->role()) {
    // Containers that take focus for scrolling or switching: the controls
    // inside them carry the names.
    case QAccessible::LayeredPane:
    case QAccessible::Pane:
    case QAccessible::Client:
    case QAccessible::Grouping:
    case QAccessible::ScrollBar:
    // A table cell without text (an empty matrix cell) has nothing to name.
    case QAccessible::Cell:
        return false;
    case QAccessible::PushButton:
    case QAccessible::CheckBox:
    case QAccessible::RadioButton:
    case QAccessible::ComboBox:
    case QAccessible::SpinBox:
    case QAccessible::Slider:
    case QAccessible::EditableText:
    case QAccessible::ButtonMenu:
    case QAccessible::ButtonDropDown:
    case QAccessible::PageTab:
    case QAccessible::List:
    case QAccessible::Table:
    case QAccessible::Tree:
        return true;
    default: {
        // Focusable from the keyboard (a label selectable by mouse is not).
        auto* w = qobject_cast<QWidget*>(a->object());
        return a->state().focusable && (!w || (w->focusPolicy() & Qt::TabFocus));
    }
    }
}

QString describe(QAccessibleInterface* a)
{
    QObject* o = a->object();
    return QStringLiteral("%1 %2 \"%3\"")
        .arg(o ? QString::fromLatin1(o->metaObject()->className()) : QStringLiteral("(no object)"),
             o ? o->objectName() : QString(), a->text(QAccessible::Description));
}

// Interactive, visible elements without a name under `root`.
QStringList unnamed(QWidget* root)
{
    QStringList out;
    std::function<void(QAccessibleInterface*, int)> walk = [&](QAccessibleInterface* a, int depth) {
        if (!a || depth > 64 || a->state().invisible)
            return;
        if (interactive(a) && a->text(QAccessible::Name).trimmed().isEmpty())
            out << describe(a);
        for (int i = 0; i < a->childCount(); ++i)
            walk(a->child(i), depth + 1);
    };
    walk(QAccessible::queryAccessibleInterface(root), 0);
    return out;
}

// The focusable, visible, enabled widgets of `page` that Tab never reaches
// from the page's first widget.
QStringList unreachable(app::MainWindow& w, QWidget* page)
{
    QList<QWidget*> wanted;
    for (QWidget* c : page->findChildren<QWidget*>())
        if (c->isVisibleTo(&w) && c->isEnabled() && (c->focusPolicy() & Qt::TabFocus) && !c->focusProxy())
            wanted << c;
    QSet<QWidget*> seen;
    w.pages()->tabBar()->setFocus(Qt::TabFocusReason);
    for (int i = 0; i < 4 * int(wanted.size()) + 20; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        if (QWidget* f = QApplication::focusWidget())
            seen.insert(f);
    }
    // Tab stops at one radio button of a group (arrows move within it).
    auto reachedGroup = [&](QWidget* c) {
        auto* radio = qobject_cast<QRadioButton*>(c);
        if (!radio)
            return false;
        for (QRadioButton* other : c->parentWidget()->findChildren<QRadioButton*>(Qt::FindDirectChildrenOnly))
            if (seen.contains(other))
                return true;
        return false;
    };
    QStringList out;
    for (QWidget* c : wanted)
        if (!seen.contains(c) && !reachedGroup(c))
            out << QStringLiteral("%1 %2").arg(QString::fromLatin1(c->metaObject()->className()), c->objectName());
    return out;
}

}  // namespace

class TestAccessibility : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void cleanup() { app::installLanguage(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void everyControlIsNamed_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << QStringLiteral("en");
        QTest::newRow("zh_CN") << QStringLiteral("zh_CN");
    }
    void everyControlIsNamed()
    {
        QFETCH(QString, language);
        app::installLanguage(app::uiLocale(language));
        app::MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QStringList problems;
        for (int i = 0; i < w.pages()->count(); ++i) {
            w.pages()->setCurrentIndex(i);
            QTest::qWait(50);
            for (const QString& p : unnamed(&w))
                problems << QStringLiteral("page %1 (%2): %3").arg(i + 1).arg(w.pages()->tabText(i), p);
        }
        problems.removeDuplicates();
        for (const QString& p : problems)
            qWarning("without an accessible name: %s", qPrintable(p));
        QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("%1 interactive elements without an accessible name").arg(problems.size())));
    }

    // The probability panel tells assistive technology the top digit and
    // its probability, at most once a second however fast the drawing
    // changes, the newest state last. (Offscreen there is no platform
    // accessibility, so no events are delivered: the description itself,
    // which the change event announces, is what is checked.)
    void probabilitiesAnnouncedAtMostOncePerSecond()
    {
        app::ProbabilityView v;
        v.show();
        QTest::qWait(app::ProbabilityView::kAnnounceMs + 50);  // past the constructor's own
        std::array<float, 10> p{};
        p[3] = 0.95f;
        p[5] = 0.05f;
        QElapsedTimer t;
        t.start();
        v.setProbabilities(p);
        QCOMPARE(v.accessibleDescription(), QStringLiteral("3 95.0%"));
        for (int i = 0; i < 20; ++i) {
            p.fill(0.0f);
            p[std::size_t(i % 10)] = 0.8f;
            p[std::size_t((i + 1) % 10)] = 0.2f;
            v.setProbabilities(p);
            if (t.elapsed() < app::ProbabilityView::kAnnounceMs - 100)  // a loaded machine may take longer
                QCOMPARE(v.accessibleDescription(), QStringLiteral("3 95.0%"));  // nothing more within the second
        }
        QTRY_COMPARE_WITH_TIMEOUT(v.accessibleDescription(), QStringLiteral("9 80.0%"), 5000);  // the newest
        QVERIFY2(t.elapsed() >= app::ProbabilityView::kAnnounceMs - 50, qPrintable(QString::number(t.elapsed())));
        // A change a second later is told at once.
        QTest::qWait(app::ProbabilityView::kAnnounceMs + 50);
        v.setEmpty();
        QCOMPARE(v.accessibleDescription(), QStringLiteral("Draw a digit"));
    }

    void tabReachesEveryControl()
    {
        app::MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QApplication::setActiveWindow(&w);
        QStringList problems;
        for (int i = 0; i < w.pages()->count(); ++i) {
            w.pages()->setCurrentIndex(i);
            QTest::qWait(50);
            for (const QString& p : unreachable(w, w.pages()->currentWidget()))
                problems << QStringLiteral("page %1 (%2): %3").arg(i + 1).arg(w.pages()->tabText(i), p);
        }
        for (const QString& p : problems)
            qWarning("not reached by Tab: %s", qPrintable(p));
        QVERIFY2(problems.isEmpty(), qPrintable(QStringLiteral("%1 controls not reached by Tab").arg(problems.size())));
    }
};

QTEST_MAIN(TestAccessibility)
#include "test_accessibility.moc"
