// Accessibility (issue 19): on every page of the main window, in English and
// in Chinese, each interactive widget that a screen reader can reach has an
// accessible name, and Tab reaches every one of them. The confusion matrix
// and the image grids are navigable by keyboard and tell what each cell or
// image holds.
#include "common/language.h"
#include "main_window.h"
#include "panels/augment_preview.h"
#include "panels/confusion_accessible.h"
#include "panels/confusion_view.h"
#include "panels/layer_view.h"
#include "panels/mnist_browser.h"
#include "panels/probability_view.h"
#include "panels/sample_filter.h"
#include "panels/user_digits_panel.h"

#include <QAccessible>
#include <QAccessibleTableInterface>
#include <QListWidget>
#include <QSignalSpy>
#include <QHeaderView>
#include <QScopeGuard>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtGui/private/qguiapplication_p.h>
#include <QtGui/qpa/qplatformaccessibility.h>
#include <QtGui/qpa/qplatformintegration.h>
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
    // A cell a screen reader moves to (a matrix cell, a grid's image) must say what it holds.
    case QAccessible::Cell:
    case QAccessible::ListItem:
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
    QAccessibleInterface* p = a->parent();
    QObject* po = p ? p->object() : nullptr;
    return QStringLiteral("%1 %2 role %3 in %4 %5 \"%6\"")
        .arg(o ? QString::fromLatin1(o->metaObject()->className()) : QStringLiteral("(no object)"),
             o ? o->objectName() : QString())
        .arg(int(a->role()))
        .arg(po ? QString::fromLatin1(po->metaObject()->className()) : QString(), po ? po->objectName() : QString(),
             a->text(QAccessible::Description));
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

// Shows `w` at `size` as the active window (focus and keys need one).
bool showActive(QWidget& w, QSize size)
{
    w.resize(size);
    w.show();
    if (!QTest::qWaitForWindowExposed(&w))
        return false;
    QApplication::setActiveWindow(&w);
    return true;
}

// The accessible interfaces with this role under `root`.
QList<QAccessibleInterface*> withRole(QAccessibleInterface* root, QAccessible::Role role)
{
    QList<QAccessibleInterface*> out;
    std::function<void(QAccessibleInterface*, int)> walk = [&](QAccessibleInterface* a, int depth) {
        if (!a || depth > 64)
            return;
        if (a->role() == role)
            out << a;
        for (int i = 0; i < a->childCount(); ++i)
            walk(a->child(i), depth + 1);
    };
    walk(root, 0);
    return out;
}

// A matrix whose row 3 holds 1000 images: 985 right, 12 taken for a 5, 3 for an 8.
app::ConfusionView::Matrix fixtureMatrix()
{
    app::ConfusionView::Matrix m{};
    for (int k = 0; k < nn::kClasses; ++k)
        m[std::size_t(k)][std::size_t(k)] = 100 + k;
    m[3][3] = 985;
    m[3][5] = 12;
    m[3][8] = 3;
    m[7][1] = 1;
    return m;
}

// What QAccessible::updateAccessibility delivers while a test listens.
struct Captured {
    QAccessible::Event type;
    QObject* object;
    int child;
    QString name;
};
std::vector<Captured>& captured()
{
    static std::vector<Captured> events;
    return events;
}
void capture(QAccessibleEvent* e)
{
    QAccessibleInterface* iface = e->accessibleInterface();
    captured().push_back({e->type(), e->object(), e->child(), iface ? iface->text(QAccessible::Name) : QString()});
}

// Two test images: 0 is a 7 taken for a 1 (87%), 1 is a 2 read right (99%).
app::SampleSource fixtureSource(const QString& name)
{
    auto d = std::make_shared<nn::Dataset>();
    d->images.assign(2 * 28 * 28, 0);
    d->labels = {7, 2};
    auto e = std::make_shared<nn::Evaluation>();
    e->labels = {7, 2};
    e->predictions = {1, 2};
    e->probabilities.assign(2 * nn::kClasses, 0.0f);
    e->probabilities[1] = 0.87f;
    e->probabilities[7] = 0.13f;
    e->probabilities[nn::kClasses + 2] = 0.99f;
    e->probabilities[nn::kClasses + 3] = 0.01f;
    return app::SampleSource{name, d, e};
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

    // The walk itself: a table cell without a name is reported (the matrix's
    // cells and the grids' images are checked by it now).
    void walkReportsAnUnnamedCell()
    {
        QTableWidget table(2, 2);
        table.setAccessibleName(QStringLiteral("table"));
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < 2; ++c)
                table.setItem(r, c, new QTableWidgetItem(r == 1 && c == 0 ? QString() : QStringLiteral("x")));
        table.horizontalHeader()->hide();
        table.verticalHeader()->hide();
        table.show();
        QVERIFY(QTest::qWaitForWindowExposed(&table));
        const QStringList problems = unnamed(&table);
        QCOMPARE(problems.size(), 1);
        table.item(1, 0)->setText(QStringLiteral("y"));
        QCOMPARE(unnamed(&table), QStringList());
    }

    void confusionMatrixKeyboard()
    {
        app::ConfusionView v;
        QVERIFY(showActive(v, QSize(560, 500)));
        QSignalSpy clicked(&v, &app::ConfusionView::cellClicked);
        QCOMPARE(v.focusPolicy() & Qt::TabFocus, Qt::TabFocus);
        v.setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(v.hasFocus());
        QTest::keyClick(&v, Qt::Key_Return);
        QCOMPARE(clicked.count(), 0);  // no data: nothing to open

        v.setConfusion(fixtureMatrix());
        QCOMPARE(v.currentTrue(), 0);
        QCOMPARE(v.currentPredicted(), 0);
        QTest::keyClick(&v, Qt::Key_Down);
        QTest::keyClick(&v, Qt::Key_Down);
        QTest::keyClick(&v, Qt::Key_Down);
        for (int i = 0; i < 5; ++i)
            QTest::keyClick(&v, Qt::Key_Right);
        QCOMPARE(v.currentTrue(), 3);
        QCOMPARE(v.currentPredicted(), 5);
        QTest::keyClick(&v, Qt::Key_Return);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(0).toInt(), 3);
        QCOMPARE(clicked.at(0).at(1).toInt(), 5);
        QCOMPARE(v.selectedTrue(), 3);  // as a click: the cell is the opened one
        QCOMPARE(v.selectedPredicted(), 5);

        QTest::keyClick(&v, Qt::Key_Left);
        QTest::keyClick(&v, Qt::Key_Up);
        QCOMPARE(v.currentTrue(), 2);
        QCOMPARE(v.currentPredicted(), 4);
        QTest::keyClick(&v, Qt::Key_End);
        QCOMPARE(v.currentPredicted(), 9);
        QTest::keyClick(&v, Qt::Key_Right);  // stays at the edge
        QCOMPARE(v.currentPredicted(), 9);
        QTest::keyClick(&v, Qt::Key_Home);
        QCOMPARE(v.currentPredicted(), 0);
        QTest::keyClick(&v, Qt::Key_PageDown);
        QCOMPARE(v.currentTrue(), 9);
        QTest::keyClick(&v, Qt::Key_PageUp);
        QCOMPARE(v.currentTrue(), 0);
        QTest::keyClick(&v, Qt::Key_End, Qt::ControlModifier);
        QCOMPARE(v.currentTrue(), 9);
        QCOMPARE(v.currentPredicted(), 9);
        QTest::keyClick(&v, Qt::Key_Space);
        QCOMPARE(clicked.count(), 2);
        QCOMPARE(clicked.at(1).at(0).toInt(), 9);
        QCOMPARE(clicked.at(1).at(1).toInt(), 9);
        QTest::keyClick(&v, Qt::Key_Home, Qt::ControlModifier);
        QCOMPARE(v.currentTrue(), 0);
        QCOMPARE(v.currentPredicted(), 0);

        // The current cell is drawn in the palette's highlight while focused.
        QPalette pal = v.palette();
        pal.setColor(QPalette::Highlight, QColor(255, 0, 255));
        v.setPalette(pal);
        QTest::keyClick(&v, Qt::Key_Right);
        const QRect r = v.cellRect(0, 1);
        auto magentaIn = [&](const QImage& img) {
            int n = 0;
            for (int x = r.left() - 1; x <= r.right(); ++x)
                n += img.pixelColor(x, r.top()) == QColor(255, 0, 255);
            return n;
        };
        QVERIFY(magentaIn(v.grab().toImage().convertToFormat(QImage::Format_RGB32)) > r.width() / 2);
        v.clearFocus();
        QCOMPARE(magentaIn(v.grab().toImage().convertToFormat(QImage::Format_RGB32)), 0);
        // A click opens the cell without the keyboard's frame.
        QTest::mouseClick(&v, Qt::LeftButton, {}, r.center());
        QVERIFY(v.hasFocus());
        QCOMPARE(clicked.count(), 3);
        QCOMPARE(magentaIn(v.grab().toImage().convertToFormat(QImage::Format_RGB32)), 0);
        QTest::keyClick(&v, Qt::Key_Left);
        QCOMPARE(v.currentPredicted(), 0);
    }

    void confusionMatrixAccessibleTable()
    {
        app::ConfusionView v;
        v.resize(560, 500);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QAccessibleInterface* a = QAccessible::queryAccessibleInterface(&v);
        QVERIFY(a);
        QCOMPARE(a->role(), QAccessible::Table);
        QCOMPARE(a->text(QAccessible::Name), QStringLiteral("Confusion matrix"));
        QAccessibleTableInterface* t = a->tableInterface();
        QVERIFY(t);
        QCOMPARE(t->rowCount(), 0);  // nothing evaluated: no cells to read
        QCOMPARE(a->childCount(), 0);

        v.setConfusion(fixtureMatrix());
        QCOMPARE(t->rowCount(), 10);
        QCOMPARE(t->columnCount(), 10);
        QCOMPARE(a->childCount(), 100 + 10 + 10);  // cells, column and row headers
        QCOMPARE(withRole(a, QAccessible::Cell).size(), 100);
        QCOMPARE(withRole(a, QAccessible::ColumnHeader).size(), 10);
        QCOMPARE(withRole(a, QAccessible::RowHeader).size(), 10);
        QAccessibleInterface* c = t->cellAt(3, 5);
        QVERIFY(c);
        QCOMPARE(c->role(), QAccessible::Cell);
        QCOMPARE(c->text(QAccessible::Name), QStringLiteral("12"));
        QCOMPARE(c->text(QAccessible::Name), v.cellText(3, 5));  // what the cell shows
        QCOMPARE(c->text(QAccessible::Description), QStringLiteral("True 3, predicted 5: 12 images, 1.2% of the 3s"));
        QCOMPARE(t->cellAt(3, 8)->text(QAccessible::Description), QStringLiteral("True 3, predicted 8: 3 images, 0.3% of the 3s"));
        QCOMPARE(t->cellAt(7, 1)->text(QAccessible::Description), QStringLiteral("True 7, predicted 1: 1 image, 0.9% of the 7s"));
        QCOMPARE(t->cellAt(0, 1)->text(QAccessible::Name), QStringLiteral("0"));  // an empty cell
        QCOMPARE(a->indexOfChild(c), app::confusionCellChild(3, 5));
        QCOMPARE(a->child(app::confusionCellChild(3, 5)), c);
        QAccessibleTableCellInterface* ci = c->tableCellInterface();
        QVERIFY(ci);
        QCOMPARE(ci->rowIndex(), 3);
        QCOMPARE(ci->columnIndex(), 5);
        QCOMPARE(ci->rowHeaderCells().size(), 1);
        QCOMPARE(ci->rowHeaderCells().front()->text(QAccessible::Name), QStringLiteral("true 3"));
        QCOMPARE(ci->columnHeaderCells().front()->text(QAccessible::Name), QStringLiteral("predicted 5"));
        QCOMPARE(c->rect().center(), v.mapToGlobal(v.cellRect(3, 5).center()));
        QCOMPARE(a->childAt(c->rect().center().x(), c->rect().center().y()), c);
        // Every cell has a name: the walk has nothing to report.
        QCOMPARE(unnamed(&v), QStringList());

        // Row percentages: the name follows what is shown.
        v.setNormalized(true);
        QCOMPARE(c->text(QAccessible::Name), QStringLiteral("1.2%"));
        QCOMPARE(t->cellAt(3, 3)->text(QAccessible::Name), QStringLiteral("99%"));  // 985 of 1000, as drawn
        QCOMPARE(t->cellAt(3, 3)->text(QAccessible::Name), v.cellText(3, 3));

        // Its press action opens the cell as a click does.
        QSignalSpy clicked(&v, &app::ConfusionView::cellClicked);
        QVERIFY(c->actionInterface());
        c->actionInterface()->doAction(QAccessibleActionInterface::pressAction());
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(0).toInt(), 3);
        QCOMPARE(clicked.at(0).at(1).toInt(), 5);
        QVERIFY(c->state().selected);
        QCOMPARE(t->selectedCells(), QList<QAccessibleInterface*>{c});

        // In Chinese, with its plural form.
        app::installLanguage(app::uiLocale(QStringLiteral("zh_CN")));
        const QString zh = c->text(QAccessible::Description);
        QVERIFY2(zh.contains(QStringLiteral("真实标签")) && zh.contains(QStringLiteral("12")), qPrintable(zh));
        QVERIFY2(zh.contains(QStringLiteral("1.2")), qPrintable(zh));
    }

    void confusionMatrixTellsFocusMoves()
    {
        app::ConfusionView v;
        v.resize(560, 500);
        v.setConfusion(fixtureMatrix());
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        QApplication::setActiveWindow(&v);
        captured().clear();
        const QAccessible::UpdateHandler previous = QAccessible::installUpdateHandler(capture);
        // Events go out only while assistive technology listens: switch the
        // platform's accessibility on as a screen reader would.
        QPlatformAccessibility* platform = QGuiApplicationPrivate::platformIntegration()->accessibility();
        QVERIFY(platform);
        const bool wasActive = platform->isActive();
        platform->setActive(true);
        QVERIFY(QAccessible::isActive());
        auto restore = qScopeGuard([previous, wasActive, platform] {
            QAccessible::installUpdateHandler(previous);
            platform->setActive(wasActive);
        });
        v.clearFocus();  // the window's activation may have given it focus already
        QVERIFY(!v.hasFocus());
        v.setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(v.hasFocus());
        auto lastFocus = [&]() -> const Captured* {
            for (auto it = captured().rbegin(); it != captured().rend(); ++it)
                if (it->type == QAccessible::Focus && it->object == &v)
                    return &*it;
            return nullptr;
        };
        QTRY_VERIFY(lastFocus() && lastFocus()->child == app::confusionCellChild(0, 0));  // tabbing in tells the cell too
        captured().clear();
        QTest::keyClick(&v, Qt::Key_Down);
        QTest::keyClick(&v, Qt::Key_Down);
        QTest::keyClick(&v, Qt::Key_Down);
        QVERIFY(lastFocus());
        QCOMPARE(lastFocus()->child, app::confusionCellChild(3, 0));
        QCOMPARE(lastFocus()->name, QStringLiteral("0"));
        QTest::keyClick(&v, Qt::Key_End);
        QCOMPARE(lastFocus()->child, app::confusionCellChild(3, 9));
        int focusEvents = 0;
        for (const Captured& e : captured())
            focusEvents += e.type == QAccessible::Focus && e.object == &v;
        QCOMPARE(focusEvents, 4);  // one per move
        captured().clear();
        QTest::keyClick(&v, Qt::Key_Right);  // at the edge: no move, no event
        QCOMPARE(lastFocus(), nullptr);
        QTest::keyClick(&v, Qt::Key_Home);
        QTest::keyClick(&v, Qt::Key_Right, Qt::NoModifier);
        for (int i = 0; i < 4; ++i)
            QTest::keyClick(&v, Qt::Key_Right);
        QCOMPARE(lastFocus()->name, QStringLiteral("12"));  // true 3, predicted 5
        QTest::keyClick(&v, Qt::Key_Return);
        const auto sel = std::find_if(captured().begin(), captured().end(),
                                      [&](const Captured& e) { return e.type == QAccessible::Selection && e.object == &v; });
        QVERIFY(sel != captured().end());
        QCOMPARE(sel->child, app::confusionCellChild(3, 5));
    }

    // The browser's and the Evaluate page's grid: each image says what it is.
    void sampleGridItemsSayWhatTheyShow()
    {
        app::SampleListModel model;
        model.setSources({fixtureSource(QStringLiteral("test"))});
        app::SampleGridView grid;
        grid.setAccessibleName(QStringLiteral("samples"));
        grid.setModel(&model);
        grid.resize(300, 200);
        grid.show();
        QVERIFY(QTest::qWaitForWindowExposed(&grid));
        QCOMPARE(model.index(0).data(Qt::AccessibleTextRole).toString(), QStringLiteral("Test image 0: label 7, predicted 1 (87.0%)"));
        QCOMPARE(model.index(0).data(Qt::AccessibleDescriptionRole).toString(), QStringLiteral("Misclassified"));
        QCOMPARE(model.index(1).data(Qt::AccessibleTextRole).toString(), QStringLiteral("Test image 1: label 2, predicted 2 (99.0%)"));
        QCOMPARE(model.index(1).data(Qt::AccessibleDescriptionRole).toString(), QStringLiteral("Correct"));
        QAccessibleInterface* a = QAccessible::queryAccessibleInterface(&grid);
        QVERIFY(a && a->tableInterface());
        QAccessibleInterface* item = a->tableInterface()->cellAt(0, 0);
        QVERIFY(item);
        QCOMPARE(item->text(QAccessible::Name), QStringLiteral("Test image 0: label 7, predicted 1 (87.0%)"));
        QCOMPARE(item->text(QAccessible::Description), QStringLiteral("Misclassified"));
        QCOMPARE(unnamed(&grid), QStringList());
        // The arrows move the current image (which the detail view follows).
        QApplication::setActiveWindow(&grid);
        grid.setFocus();
        grid.setCurrentIndex(model.index(0));
        QTest::keyClick(grid.viewport(), Qt::Key_Right);
        QCOMPARE(grid.currentIndex().row(), 1);
        // Without predictions only the label is told.
        model.setSources({app::SampleSource{QStringLiteral("train"), fixtureSource({}).data, nullptr}});
        QCOMPARE(model.index(1).data(Qt::AccessibleTextRole).toString(), QStringLiteral("Train image 1: label 2"));
        QCOMPARE(model.index(1).data(Qt::AccessibleDescriptionRole).toString(), QStringLiteral("No prediction yet"));
    }

    void myDigitsItemsSayTheirLabel()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        app::UserDigitsPanel panel(dir.path());
        std::vector<float> input(28 * 28, 0.0f);
        for (int y = 6; y < 22; ++y)
            input[std::size_t(y) * 28 + 14] = 1.0f;
        QVERIFY(panel.addInput(input.data(), 3));
        QVERIFY(panel.addInput(input.data(), 5));
        auto* list = panel.findChild<QListWidget*>();
        QVERIFY(list);
        QStringList texts;
        for (int i = 0; i < list->count(); ++i)
            texts << list->item(i)->data(Qt::AccessibleTextRole).toString();
        QVERIFY2(texts.contains(QStringLiteral("My digit 1: labelled 3")) || texts.contains(QStringLiteral("My digit 1: labelled 3, held out")),
                 qPrintable(texts.join(QLatin1Char('|'))));
        QVERIFY2(texts.contains(QStringLiteral("My digit 2: labelled 5")) || texts.contains(QStringLiteral("My digit 2: labelled 5, held out")),
                 qPrintable(texts.join(QLatin1Char('|'))));
        panel.resize(500, 400);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QCOMPARE(unnamed(&panel), QStringList());
        QAccessibleInterface* a = QAccessible::queryAccessibleInterface(list);
        QVERIFY(a && a->tableInterface() && a->tableInterface()->cellAt(0, 0));
        QVERIFY(a->tableInterface()->cellAt(0, 0)->text(QAccessible::Name).startsWith(QStringLiteral("My digit 1: labelled 3")));
    }

    // Feature-map tiles: arrows move the keyboard's tile, its description
    // follows, Enter clicks it.
    void layerTilesByKeyboard()
    {
        nn::LayerTrace trace;
        trace.kind = "conv";
        trace.spec = "conv 4 3";
        trace.shape = {4, 2, 2};
        trace.values = {0, 1, 2, 3, /**/ -1, 0, 0, 0, /**/ 5, 5, 5, 5, /**/ 0, 0, 0, 0.5f};
        trace.min = -1;
        trace.max = 5;
        app::LayerStrip strip(40);
        strip.setTrace(trace);
        strip.resize(120, strip.heightForWidth(120));  // two tiles a row
        strip.show();
        QVERIFY(QTest::qWaitForWindowExposed(&strip));
        QApplication::setActiveWindow(&strip);
        QSignalSpy clicked(&strip, &app::LayerStrip::channelClicked);
        strip.setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(strip.hasFocus());
        QCOMPARE(strip.currentChannel(), 0);
        QVERIFY2(strip.accessibleDescription().startsWith(QStringLiteral("Map 1 of 4: values from 0 to 3")),
                 qPrintable(strip.accessibleDescription()));
        QTest::keyClick(&strip, Qt::Key_Down);
        QCOMPARE(strip.currentChannel(), 2);
        QVERIFY2(strip.accessibleDescription().startsWith(QStringLiteral("Map 3 of 4: values from 5 to 5")),
                 qPrintable(strip.accessibleDescription()));
        QTest::keyClick(&strip, Qt::Key_Right);
        QCOMPARE(strip.currentChannel(), 3);
        QTest::keyClick(&strip, Qt::Key_Return);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(clicked.at(0).at(0).toInt(), 3);
        QTest::keyClick(&strip, Qt::Key_Home);
        QCOMPARE(strip.currentChannel(), 0);
        QVERIFY(!strip.accessibleName().isEmpty());
    }

    void augmentTilesByKeyboard()
    {
        app::AugmentPreview preview;
        QVERIFY(showActive(preview, QSize(900, 600)));
        QWidget* tiles = nullptr;
        for (QWidget* w : preview.findChildren<QWidget*>())
            if (w->accessibleName() == QLatin1String("Augmented versions, one per epoch"))
                tiles = w;
        QVERIFY(tiles);
        tiles->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(tiles->hasFocus());
        QVERIFY2(tiles->accessibleDescription().startsWith(QStringLiteral("Epoch 1, rotation")), qPrintable(tiles->accessibleDescription()));
        QTest::keyClick(tiles, Qt::Key_Down);
        QTest::keyClick(tiles, Qt::Key_Right);
        QVERIFY2(tiles->accessibleDescription().startsWith(QStringLiteral("Epoch %1, rotation").arg(app::AugmentPreview::kCols + 2)),
                 qPrintable(tiles->accessibleDescription()));
        QTest::keyClick(tiles, Qt::Key_End);
        QVERIFY(tiles->accessibleDescription().startsWith(QStringLiteral("Epoch %1,").arg(app::AugmentPreview::kTiles)));
    }

    void tabReachesEveryControl()
    {
        app::MainWindow w;
        QVERIFY(showActive(w, QSize(1280, 800)));
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
