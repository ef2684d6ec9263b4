#include "confusion_accessible.h"

#include "confusion_view.h"

#include <QAccessible>
#include <QAccessibleWidget>
#include <QPointer>

#include <array>

namespace app {

namespace {

constexpr int kN = nn::kClasses;
constexpr int kCells = kN * kN;
constexpr int kColumnHeaders = kCells;           // children kCells .. kCells+kN-1
constexpr int kRowHeaders = kCells + kN;         // children kCells+kN .. kCells+2kN-1
constexpr int kChildren = kCells + 2 * kN;

class ConfusionTable;

// One cell or header of the table. Kind decides which: a data cell (row,
// column), a column header (row -1) or a row header (column -1).
class ConfusionCell : public QAccessibleInterface, public QAccessibleTableCellInterface, public QAccessibleActionInterface {
public:
    ConfusionCell(ConfusionView* view, int row, int column) : m_view(view), m_row(row), m_column(column) {}

    bool isHeader() const { return m_row < 0 || m_column < 0; }

    bool isValid() const override { return m_view && m_view->hasData(); }
    QObject* object() const override { return nullptr; }
    QWindow* window() const override { return m_view ? m_view->window()->windowHandle() : nullptr; }
    QAccessibleInterface* parent() const override { return QAccessible::queryAccessibleInterface(m_view.data()); }
    QAccessibleInterface* child(int) const override { return nullptr; }
    QAccessibleInterface* childAt(int, int) const override { return nullptr; }
    int childCount() const override { return 0; }
    int indexOfChild(const QAccessibleInterface*) const override { return -1; }
    void setText(QAccessible::Text, const QString&) override {}

    QString text(QAccessible::Text t) const override
    {
        if (!m_view)
            return {};
        if (m_row < 0)
            return t == QAccessible::Name ? ConfusionView::columnHeaderText(m_column) : QString();
        if (m_column < 0)
            return t == QAccessible::Name ? ConfusionView::rowHeaderText(m_row) : QString();
        switch (t) {
        case QAccessible::Name: return m_view->cellAccessibleText(m_row, m_column);
        case QAccessible::Description: return m_view->cellDescription(m_row, m_column);
        default: return {};
        }
    }

    QAccessible::Role role() const override
    {
        if (m_row < 0)
            return QAccessible::ColumnHeader;
        if (m_column < 0)
            return QAccessible::RowHeader;
        return QAccessible::Cell;
    }

    QAccessible::State state() const override
    {
        QAccessible::State s;
        if (!m_view || isHeader())
            return s;
        s.focusable = true;
        s.selectable = true;
        s.focused = m_view->hasFocus() && m_view->currentTrue() == m_row && m_view->currentPredicted() == m_column;
        s.selected = isSelected();
        s.invisible = !m_view->isVisible();
        return s;
    }

    QRect rect() const override
    {
        if (!m_view)
            return {};
        QRect r;
        if (m_row < 0)  // above its column
            r = m_view->cellRect(0, m_column).translated(0, -m_view->cellRect(0, m_column).height());
        else if (m_column < 0)  // left of its row
            r = m_view->cellRect(m_row, 0).translated(-m_view->cellRect(m_row, 0).width(), 0);
        else
            r = m_view->cellRect(m_row, m_column);
        return r.isEmpty() ? QRect() : QRect(m_view->mapToGlobal(r.topLeft()), r.size());
    }

    void* interface_cast(QAccessible::InterfaceType t) override
    {
        if (t == QAccessible::TableCellInterface)
            return static_cast<QAccessibleTableCellInterface*>(this);
        if (t == QAccessible::ActionInterface && !isHeader())
            return static_cast<QAccessibleActionInterface*>(this);
        return nullptr;
    }

    // QAccessibleTableCellInterface
    bool isSelected() const override
    {
        return m_view && !isHeader() && m_view->selectedTrue() == m_row && m_view->selectedPredicted() == m_column;
    }
    QList<QAccessibleInterface*> columnHeaderCells() const override;
    QList<QAccessibleInterface*> rowHeaderCells() const override;
    int columnIndex() const override { return m_column; }
    int rowIndex() const override { return m_row; }
    int columnExtent() const override { return 1; }
    int rowExtent() const override { return 1; }
    QAccessibleInterface* table() const override { return parent(); }

    // QAccessibleActionInterface
    QStringList actionNames() const override { return {pressAction(), setFocusAction()}; }
    void doAction(const QString& name) override
    {
        if (!m_view || isHeader())
            return;
        if (name == pressAction()) {
            m_view->activateCell(m_row, m_column);
        } else if (name == setFocusAction()) {
            m_view->setFocus(Qt::OtherFocusReason);
            m_view->setCurrentCell(m_row, m_column);
        }
    }
    QStringList keyBindingsForAction(const QString& name) const override
    {
        return name == pressAction() ? QStringList{QStringLiteral("Return"), QStringLiteral("Space")} : QStringList{};
    }

private:
    QPointer<ConfusionView> m_view;
    int m_row, m_column;
};

class ConfusionTable : public QAccessibleWidget, public QAccessibleTableInterface {
public:
    explicit ConfusionTable(ConfusionView* view) : QAccessibleWidget(view, QAccessible::Table) {}
    ~ConfusionTable() override
    {
        for (QAccessible::Id id : m_ids)
            if (id)
                QAccessible::deleteAccessibleInterface(id);
    }

    ConfusionView* view() const { return static_cast<ConfusionView*>(widget()); }

    // The cell interfaces live as long as the table: ids stay stable, as
    // assistive technology expects of a child it was told about.
    QAccessibleInterface* childInterface(int index) const
    {
        if (index < 0 || index >= kChildren)
            return nullptr;
        QAccessible::Id& id = m_ids[std::size_t(index)];
        if (!id) {
            int row, column;
            if (index < kCells) {
                row = index / kN;
                column = index % kN;
            } else if (index < kRowHeaders) {
                row = -1;
                column = index - kColumnHeaders;
            } else {
                row = index - kRowHeaders;
                column = -1;
            }
            id = QAccessible::registerAccessibleInterface(new ConfusionCell(view(), row, column));
        }
        return QAccessible::accessibleInterface(id);
    }

    bool hasCells() const { return view()->hasData(); }

    QString text(QAccessible::Text t) const override
    {
        QString s = QAccessibleWidget::text(t);
        if (t == QAccessible::Name && s.isEmpty())
            s = ConfusionView::tr("Confusion matrix");
        return s;
    }

    int childCount() const override { return hasCells() ? kChildren : 0; }
    QAccessibleInterface* child(int index) const override
    {
        return hasCells() ? childInterface(index) : nullptr;
    }
    int indexOfChild(const QAccessibleInterface* child) const override
    {
        for (int i = 0; i < kChildren; ++i)
            if (m_ids[std::size_t(i)] && QAccessible::accessibleInterface(m_ids[std::size_t(i)]) == child)
                return i;
        return -1;
    }
    QAccessibleInterface* childAt(int x, int y) const override
    {
        int t = -1, p = -1;
        if (hasCells() && view()->cellAt(view()->mapFromGlobal(QPoint(x, y)), &t, &p))
            return childInterface(confusionCellChild(t, p));
        return nullptr;
    }
    QAccessibleInterface* focusChild() const override
    {
        if (hasCells() && view()->hasFocus())
            return childInterface(confusionCellChild(view()->currentTrue(), view()->currentPredicted()));
        return QAccessibleWidget::focusChild();
    }

    void* interface_cast(QAccessible::InterfaceType t) override
    {
        if (t == QAccessible::TableInterface)
            return static_cast<QAccessibleTableInterface*>(this);
        return QAccessibleWidget::interface_cast(t);
    }

    // QAccessibleTableInterface
    QAccessibleInterface* caption() const override { return nullptr; }
    QAccessibleInterface* summary() const override { return nullptr; }
    QAccessibleInterface* cellAt(int row, int column) const override
    {
        if (!hasCells() || row < 0 || column < 0 || row >= kN || column >= kN)
            return nullptr;
        return childInterface(confusionCellChild(row, column));
    }
    int selectedCellCount() const override { return int(selectedCells().size()); }
    QList<QAccessibleInterface*> selectedCells() const override
    {
        const int t = view()->selectedTrue(), p = view()->selectedPredicted();
        if (t < 0 || p < 0 || !hasCells())
            return {};
        return {childInterface(confusionCellChild(t, p))};
    }
    QString columnDescription(int column) const override { return ConfusionView::columnHeaderText(column); }
    QString rowDescription(int row) const override { return ConfusionView::rowHeaderText(row); }
    int selectedColumnCount() const override { return 0; }
    int selectedRowCount() const override { return 0; }
    int columnCount() const override { return hasCells() ? kN : 0; }
    int rowCount() const override { return hasCells() ? kN : 0; }
    QList<int> selectedColumns() const override { return {}; }
    QList<int> selectedRows() const override { return {}; }
    bool isColumnSelected(int) const override { return false; }
    bool isRowSelected(int) const override { return false; }
    // One cell is opened at a time; whole rows or columns cannot be.
    bool selectRow(int) override { return false; }
    bool selectColumn(int) override { return false; }
    bool unselectRow(int) override { return false; }
    bool unselectColumn(int) override { return false; }
    void modelChange(QAccessibleTableModelChangeEvent*) override {}  // cells are fixed; only their text changes

private:
    mutable std::array<QAccessible::Id, kChildren> m_ids{};
};

QList<QAccessibleInterface*> ConfusionCell::columnHeaderCells() const
{
    auto* t = m_view ? static_cast<ConfusionTable*>(QAccessible::queryAccessibleInterface(m_view.data())) : nullptr;
    if (!t || m_column < 0)
        return {};
    return {t->childInterface(kColumnHeaders + m_column)};
}

QList<QAccessibleInterface*> ConfusionCell::rowHeaderCells() const
{
    auto* t = m_view ? static_cast<ConfusionTable*>(QAccessible::queryAccessibleInterface(m_view.data())) : nullptr;
    if (!t || m_row < 0)
        return {};
    return {t->childInterface(kRowHeaders + m_row)};
}

QAccessibleInterface* factory(const QString& className, QObject* object)
{
    if (className == QLatin1String(ConfusionView::staticMetaObject.className()))
        if (auto* v = qobject_cast<ConfusionView*>(object))
            return new ConfusionTable(v);
    return nullptr;
}

void notify(ConfusionView* view, int t, int p, QAccessible::Event type)
{
    if (!view->hasData() || t < 0 || p < 0)
        return;
    QAccessibleEvent e(view, type);
    e.setChild(confusionCellChild(t, p));
    QAccessible::updateAccessibility(&e);
}

}  // namespace

void installConfusionAccessibility()
{
    static const bool installed = [] {
        QAccessible::installFactory(factory);
        return true;
    }();
    (void)installed;
}

void notifyConfusionFocus(ConfusionView* view, int t, int p) { notify(view, t, p, QAccessible::Focus); }
void notifyConfusionSelection(ConfusionView* view, int t, int p) { notify(view, t, p, QAccessible::Selection); }

void notifyConfusionReset(ConfusionView* view)
{
    QAccessibleTableModelChangeEvent e(view, QAccessibleTableModelChangeEvent::ModelReset);
    QAccessible::updateAccessibility(&e);
}

}  // namespace app
