#include "user_digits_panel.h"

#include "common/language.h"
#include "common/defaultmodel.h"
#include "common/imageconvert.h"

#include <nn/errors.h>

#include <QDateTime>
#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <algorithm>

namespace app {

namespace {

constexpr int kThumb = 56;

QImage thumbnail(const std::uint8_t* px)
{
    const int side = nn::UserDigitStore::kSide;
    return grayBytesToImage(px, side, side).scaled(kThumb, kThumb, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

// The label dialog: ten buttons, digit keys answer at once.
class LabelDialog : public QDialog {
    Q_DECLARE_TR_FUNCTIONS(app::LabelDialog)  // its own context (no Q_OBJECT here)

public:
    LabelDialog(QWidget* parent, const QImage& preview, int suggested) : QDialog(parent)
    {
        setWindowTitle(tr("Add to My Digits"));
        auto* layout = new QVBoxLayout(this);
        auto* text = new QLabel(tr("Which digit is this? Press its key or click it."), this);
        layout->addWidget(text);
        if (!preview.isNull()) {
            auto* img = new QLabel(this);
            img->setPixmap(QPixmap::fromImage(
                preview.scaled(112, 112, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
            img->setAlignment(Qt::AlignCenter);
            layout->addWidget(img);
        }
        // 1-5 on the first row, 6-9 and 0 on the second, in keyboard order.
        auto* grid = new QGridLayout;
        for (int d = 0; d < 10; ++d) {
            auto* b = new QPushButton(QString::number(d), this);
            b->setMinimumSize(40, 36);
            b->setAutoDefault(false);
            if (d == suggested) {
                b->setDefault(true);
                b->setFocus();
            }
            connect(b, &QPushButton::clicked, this, [this, d] { choose(d); });
            const int slot = d == 0 ? 9 : d - 1;
            grid->addWidget(b, slot / 5, slot % 5);
        }
        layout->addLayout(grid);
        auto* box = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
        connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
        layout->addWidget(box);
    }
    int chosen() const { return m_chosen; }

protected:
    void keyPressEvent(QKeyEvent* e) override
    {
        const QString t = e->text();
        if (t.size() == 1 && t[0] >= QLatin1Char('0') && t[0] <= QLatin1Char('9')) {
            choose(t[0].digitValue());
            return;
        }
        QDialog::keyPressEvent(e);
    }

private:
    void choose(int d)
    {
        m_chosen = d;
        accept();
    }
    int m_chosen = -1;
};

}  // namespace

UserDigitsPanel::UserDigitsPanel(const QString& directory, QWidget* parent)
    : QWidget(parent), m_store(QDir::toNativeSeparators(directory).toStdString())
{
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_list = new QListWidget(this);
    m_list->setAccessibleName(tr("My digits"));
    m_list->setViewMode(QListView::IconMode);
    m_list->setIconSize(QSize(kThumb, kThumb));
    m_list->setGridSize(QSize(std::max(kThumb + 24, m_list->fontMetrics().horizontalAdvance(tr("8 · held out")) + 16),
                              kThumb + 34));
    m_list->setResizeMode(QListView::Adjust);
    m_list->setMovement(QListView::Static);
    m_list->setUniformItemSizes(true);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->installEventFilter(this);
    m_list->setToolTip(tr("Your own digits. Select some and press a digit key to relabel them, or Delete to remove "
                          "them. Entries marked 'held out' are not trained on: they measure how well the model "
                          "reads your handwriting."));
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("lastRunLabel"));
    m_result->setWordWrap(true);
    m_result->hide();
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();

    m_relabel = new QPushButton(tr("Relabel…"), this);
    m_relabel->setToolTip(tr("Give the selected digits another label (or press the digit key)"));
    connect(m_relabel, &QPushButton::clicked, this, &UserDigitsPanel::relabelSelected);
    m_delete = new QPushButton(tr("Delete"), this);
    m_delete->setToolTip(tr("Remove the selected digits from the set (Delete key)"));
    connect(m_delete, &QPushButton::clicked, this, &UserDigitsPanel::deleteSelected);
    m_moveAside = new QPushButton(tr("Move damaged set aside"), this);
    m_moveAside->setToolTip(tr("Rename the unreadable folder (nothing is deleted) and start a new, empty set"));
    m_moveAside->hide();
    connect(m_moveAside, &QPushButton::clicked, this, &UserDigitsPanel::moveDamagedAside);
    // A double click or Enter on a digit asks for its label, as "Relabel…" does.
    connect(m_list, &QListWidget::itemActivated, this, [this] {
        if (!m_damaged)
            relabelSelected();
    });
    connect(m_list, &QListWidget::itemSelectionChanged, this, [this] {
        const bool any = !m_list->selectedItems().isEmpty();
        m_relabel->setEnabled(any && !m_damaged);
        m_delete->setEnabled(any && !m_damaged);
    });

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_relabel);
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    buttons->addWidget(m_moveAside);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_error);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_result);
    layout->addLayout(buttons);
    reload();
}

QString UserDigitsPanel::defaultDirectory()
{
    return appDataDir() + QStringLiteral("/mydigits");
}

void UserDigitsPanel::reload()
{
    try {
        m_store.load();
        m_damaged = false;
        m_error->hide();
        m_moveAside->hide();
    } catch (const nn::Error& e) {
        m_damaged = true;
        m_lastError = tr("My digits could not be read: %1").arg(errorText(e));
        m_error->setText(m_lastError + tr("\nNothing will be changed until the folder is repaired or moved aside."));
        m_error->show();
        m_moveAside->show();
        emit errorOccurred(m_lastError);
    }
    rebuild();
}

void UserDigitsPanel::rebuild()
{
    const QList<int> keep = selectedIndices();
    m_list->clear();
    for (int i = 0; i < m_store.size(); ++i) {
        const bool held = m_store.isHeldOut(i);
        auto* item = new QListWidgetItem(QIcon(QPixmap::fromImage(thumbnail(m_store.image(i)))),
                                         held ? tr("%1 · held out").arg(m_store.label(i))
                                              : QString::number(m_store.label(i)));
        item->setData(Qt::UserRole, i);
        item->setData(Qt::AccessibleTextRole, held ? tr("My digit %1: labelled %2, held out").arg(i + 1).arg(m_store.label(i))
                                                   : tr("My digit %1: labelled %2").arg(i + 1).arg(m_store.label(i)));
        item->setData(Qt::AccessibleDescriptionRole,
                      tr("A digit key relabels it, Enter asks for a label, Delete removes it"));
        item->setTextAlignment(Qt::AlignHCenter | Qt::AlignTop);
        // Every item as wide as a grid cell: with uniform sizes the view
        // would otherwise size all of them like the first one, and a short
        // first label ("3") would cut "8 · held out" short.
        item->setSizeHint(m_list->gridSize() - QSize(4, 4));
        if (held)
            item->setForeground(QColor(120, 120, 120));
        m_list->addItem(item);
    }
    for (int i : keep)
        if (i < m_list->count())
            m_list->item(i)->setSelected(true);
    const int held = m_store.heldOutCount();
    if (m_damaged)
        m_summary->setText(tr("Folder: %1").arg(QString::fromStdString(m_store.directory())));
    else if (m_store.empty())
        m_summary->setText(tr("No digits of your own yet. Draw a digit on the pad and choose \"Add to My Digits\" "
                              "(Ctrl+D); then fine-tune the model on them from the Train page."));
    else
        m_summary->setText((m_store.size() == 1
                                ? tr("1 digit of your own; %1 held out to measure the model on your handwriting.")
                                      .arg(held)
                                : tr("%1 digits of your own; %2 held out to measure the model on your handwriting.")
                                      .arg(m_store.size())
                                      .arg(held)) +
                           tr(" The Train page fine-tunes on the others; the Evaluate page scores the model on all."));
    const bool any = !m_list->selectedItems().isEmpty();
    m_relabel->setEnabled(any && !m_damaged);
    m_delete->setEnabled(any && !m_damaged);
    emit changed(m_store.size(), held);
}

bool UserDigitsPanel::fail(const QString& message)
{
    m_lastError = message;
    emit errorOccurred(message);
    return false;
}

bool UserDigitsPanel::addInput(const float* input, int label)
{
    if (m_damaged)
        return fail(m_lastError);
    if (label < 0 || label > 9)
        return fail(tr("%1 is not a digit label (0 to 9)").arg(label));
    try {
        m_store.add(input, label);
    } catch (const nn::Error& e) {
        return fail(tr("Could not add the digit: %1").arg(errorText(e)));
    }
    rebuild();
    return true;
}

namespace {
nn::PreprocessResult preprocessDrawing(const QImage& drawing, int darkInk)
{
    const std::vector<float> gray = toGrayFloat(drawing);
    nn::PreprocessOptions options;
    options.darkInk = darkInk;
    return nn::preprocess(gray.data(), drawing.width(), drawing.height(), options);
}
}  // namespace

bool UserDigitsPanel::addImage(const QImage& drawing, int label, int darkInk)
{
    if (drawing.isNull())
        return fail(tr("There is no drawing to add"));
    const nn::PreprocessResult p = preprocessDrawing(drawing, darkInk);
    if (p.empty)
        return fail(tr("The drawing is empty: draw a digit first"));
    return addInput(p.input.data(), label);
}

int UserDigitsPanel::addFromCanvas(const QImage& drawing, int suggestedLabel, QWidget* dialogParent, int darkInk)
{
    if (drawing.isNull())
        return fail(tr("There is no drawing to add")), -1;
    const nn::PreprocessResult p = preprocessDrawing(drawing, darkInk);
    if (p.empty)
        return fail(tr("The drawing is empty: draw a digit first")), -1;
    const QImage preview = floatToImage(p.input.data(), 28, 28);
    const int label = askLabel(dialogParent ? dialogParent : this, preview, suggestedLabel);
    if (label < 0)
        return -1;
    return addInput(p.input.data(), label) ? label : -1;
}

int UserDigitsPanel::askLabel(QWidget* parent, const QImage& preview, int suggestedLabel)
{
    LabelDialog dialog(parent, preview, suggestedLabel);
    return dialog.exec() == QDialog::Accepted ? dialog.chosen() : -1;
}

bool UserDigitsPanel::relabel(int index, int label)
{
    if (m_damaged)
        return fail(m_lastError);
    try {
        m_store.relabel(index, label);
    } catch (const nn::Error& e) {
        return fail(tr("Could not relabel: %1").arg(errorText(e)));
    }
    rebuild();
    return true;
}

bool UserDigitsPanel::remove(int index)
{
    if (m_damaged)
        return fail(m_lastError);
    try {
        m_store.remove(index);
    } catch (const nn::Error& e) {
        return fail(tr("Could not delete: %1").arg(errorText(e)));
    }
    rebuild();
    return true;
}

std::pair<std::shared_ptr<const nn::Dataset>, std::shared_ptr<const nn::Dataset>> UserDigitsPanel::trainingSets() const
{
    if (m_damaged || m_store.empty())
        return {nullptr, nullptr};
    auto [train, held] = m_store.split();
    return {std::make_shared<const nn::Dataset>(std::move(train)), std::make_shared<const nn::Dataset>(std::move(held))};
}

QList<int> UserDigitsPanel::selectedIndices() const
{
    QList<int> out;
    for (QListWidgetItem* item : m_list->selectedItems())
        out.append(item->data(Qt::UserRole).toInt());
    std::sort(out.begin(), out.end());
    return out;
}

void UserDigitsPanel::selectIndex(int index)
{
    if (index >= 0 && index < m_list->count())
        m_list->item(index)->setSelected(true);
}

void UserDigitsPanel::relabelSelected()
{
    const QList<int> sel = selectedIndices();
    if (sel.isEmpty())
        return;
    const QImage preview = thumbnail(m_store.image(sel.front()));
    const int label = askLabel(this, preview, m_store.label(sel.front()));
    if (label < 0)
        return;
    for (int i : sel)
        if (!relabel(i, label))
            break;
}

void UserDigitsPanel::deleteSelected()
{
    QList<int> sel = selectedIndices();
    if (sel.isEmpty())
        return;
    if (sel.size() > 1 &&
        QMessageBox::question(this, tr("Delete digits"), tr("Delete %1 of your digits?").arg(sel.size())) !=
            QMessageBox::Yes)
        return;
    // From the back, so that the remaining indices stay valid.
    std::sort(sel.begin(), sel.end(), std::greater<int>());
    m_list->clearSelection();
    for (int i : sel)
        if (!remove(i))
            break;
}

bool UserDigitsPanel::handleKey(QKeyEvent* event)
{
    const QString t = event->text();
    if (selectedIndices().isEmpty())
        return false;
    if (t.size() == 1 && t[0] >= QLatin1Char('0') && t[0] <= QLatin1Char('9')) {
        for (int i : selectedIndices())
            if (!relabel(i, t[0].digitValue()))
                break;
        return true;
    }
    if (event->key() == Qt::Key_Delete || event->key() == Qt::Key_Backspace) {
        deleteSelected();
        return true;
    }
    return false;
}

void UserDigitsPanel::keyPressEvent(QKeyEvent* event)
{
    if (!handleKey(event))
        QWidget::keyPressEvent(event);
}

bool UserDigitsPanel::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_list && event->type() == QEvent::KeyPress && handleKey(static_cast<QKeyEvent*>(event)))
        return true;
    return QWidget::eventFilter(watched, event);
}

void UserDigitsPanel::showLastRun(const QString& summary)
{
    m_result->setText(summary);
    m_result->setVisible(!summary.isEmpty());
}

QString UserDigitsPanel::lastRunText() const { return m_result->isHidden() ? QString() : m_result->text(); }

void UserDigitsPanel::moveDamagedAside()
{
    const QString dir = QString::fromStdString(m_store.directory());
    const QString aside = dir + QStringLiteral(".damaged-") +
                          QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    if (!QDir().rename(dir, aside)) {
        fail(tr("Could not rename %1 to %2").arg(QDir::toNativeSeparators(dir), QDir::toNativeSeparators(aside)));
        QMessageBox::warning(this, tr("My digits"), m_lastError);
        return;
    }
    reload();
    m_summary->setText(m_summary->text() + tr("\nThe damaged set was moved to %1.").arg(QDir::toNativeSeparators(aside)));
}

}  // namespace app
