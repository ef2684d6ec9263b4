#include "wheel_guard.h"

#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QCoreApplication>
#include <QComboBox>
#include <QEvent>
#include <QSlider>
#include <QWidget>

namespace app {

namespace {

class WheelGuard : public QObject {
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() != QEvent::Wheel)
            return false;
        auto* w = static_cast<QWidget*>(watched);
        if (w->hasFocus())
            return false;
        // Not for this widget: the scroll area around it scrolls instead.
        for (QWidget* p = w->parentWidget(); p; p = p->parentWidget())
            if (auto* area = qobject_cast<QAbstractScrollArea*>(p)) {
                QCoreApplication::sendEvent(area->viewport(), event);
                return true;
            }
        event->ignore();
        return true;
    }
};

template <typename T>
void guard(QWidget* root, QObject* filter)
{
    for (T* w : root->findChildren<T*>()) {
        w->setFocusPolicy(Qt::StrongFocus);  // the wheel alone gives no focus
        w->installEventFilter(filter);
    }
}

}  // namespace

void takeWheelOnlyWhenFocused(QWidget* root)
{
    auto* filter = new WheelGuard(root);
    guard<QAbstractSpinBox>(root, filter);
    guard<QComboBox>(root, filter);
    guard<QSlider>(root, filter);  // (not scroll bars)
}

}  // namespace app
