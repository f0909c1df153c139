app-name = Госпаблики
language-name = Русский
skip-to-content = Перейти к содержанию
footer-text = Реестр и мониторинг официальных страниц органов власти и подведомственных учреждений
nav-region = Разделы региона
nav-overview = Обзор
nav-orgs = Организации
nav-pages = Страницы
nav-municipalities = Муниципалитеты
nav-sectors = Отрасли
nav-people = Пользователи
scope-switch = Мои разделы
scope-operator = Оператор платформы: регионы
sign-in = Войти
sign-out = Выйти
yes = да
no = нет
edit = Изменить
save = Сохранить
saved = Изменения сохранены.
actions = Действия
invite = Пригласить
search-label = Поиск
search-button = Найти
nothing-found = Ничего не найдено.
pager-label = Страницы списка
pager-prev = ← Назад
pager-next = Вперёд →
pager-page = Страница
pager-total = всего
form-has-errors = Исправьте ошибки в отмеченных полях.

count-organizations = { $count ->
    [one] { $count } организация
    [few] { $count } организации
   *[many] { $count } организаций
}
count-pages = { $count ->
    [one] { $count } страница
    [few] { $count } страницы
   *[many] { $count } страниц
}

role-admin = администратор
role-coordinator = координатор
role-editor = редактор
role-head = руководитель организации

level-regional_body = Региональный орган власти
level-local_government = Орган местного самоуправления
level-state_institution = Государственное учреждение
level-municipal_institution = Муниципальное учреждение
level-other = Иная организация

municipality-kind-city_okrug = Городской округ
municipality-kind-municipal_okrug = Муниципальный округ
municipality-kind-municipal_district = Муниципальный район
municipality-kind-urban_settlement = Городское поселение
municipality-kind-rural_settlement = Сельское поселение

platform-vk = ВКонтакте
platform-ok = Одноклассники
platform-telegram = Telegram
platform-max = MAX
platform-other = Другая площадка

field-name = Наименование
field-short-name = Краткое наименование
field-inn = ИНН
field-ogrn = ОГРН
field-level = Уровень
field-founder = Учредитель
field-founder-ogrn = ОГРН учредителя
field-municipality = Муниципалитет
field-sector = Отрасль
field-sectors = Отрасли
field-sectors-up-to-three = Отрасли (не более трёх)
field-exempt = Освобождена от обязанности вести официальную страницу
field-exemption-basis = Основание освобождения
field-archived = В архиве (не учитывается в охвате)
field-kind = Вид
field-oktmo = ОКТМО
field-position = Порядок в списке
field-platform = Площадка
field-url = Адрес страницы
field-title = Название страницы
field-organization = Организация
field-email = Электронная почта
field-password = Пароль
field-new-password = Новый пароль
field-password-confirm = Пароль ещё раз
field-person = Имя и фамилия
field-role = Роль
field-slug = Код в адресе
field-time-zone = Часовой пояс

field-required = Заполните это поле.
field-too-long = Слишком длинное значение.
field-choose = Выберите значение из списка.
field-number = Введите целое число.
email-invalid = Введите адрес электронной почты, например ivanova@mail.ru.
inn-format = ИНН организации состоит из 10 цифр.
inn-check-digit = Контрольная цифра ИНН не сходится: проверьте, нет ли опечатки.
ogrn-format = ОГРН состоит из 13 цифр.
ogrn-check-digit = Контрольная цифра ОГРН не сходится: проверьте, нет ли опечатки.
ogrn-taken = Организация с этим ОГРН уже есть: { $org }.
ogrn-taken-plain = Организация с этим ОГРН уже есть в регионе.
oktmo-format = Код ОКТМО состоит из 8 или 11 цифр.
oktmo-taken = Муниципалитет с этим кодом ОКТМО уже есть.
municipality-name-taken = Муниципалитет с таким наименованием уже есть.
sector-name-taken = Отрасль с таким наименованием уже есть.
sector-repeated = Эта отрасль уже выбрана.
parent-unknown = В регионе нет организации с таким ОГРН.
parent-self = Организация не может быть учредителем самой себя.
parent-cycle = Эта организация подчинена редактируемой: получится замкнутый круг.
exemption-basis-required = Укажите основание освобождения.
organization-unknown = В регионе нет организации с таким ОГРН.

page-url-empty = Укажите адрес страницы.
page-url-invalid = Это не похоже на адрес страницы.
page-url-wrong-platform = Это адрес на площадке «{ $platform }»: выберите её или исправьте адрес.
page-url-not-a-page = Это адрес раздела сайта, а не страницы сообщества.
page-url-private = Это ссылка-приглашение в закрытый канал: жители не смогут его открыть. Укажите публичный адрес.
page-url-taken = Эта страница уже зарегистрирована за организацией «{ $org }».
page-url-taken-elsewhere = Эта страница уже зарегистрирована за организацией другого региона.
page-url-hint = Подойдёт любая форма адреса: vk.com/club123, https://m.vk.com/name, ok.ru/group/123, t.me/name, @name, max.ru/name.

login-title = Вход
login-failed = Неверная электронная почта или пароль.

home-title = Мои разделы
home-choose-scope = Выберите, с чем работать:
home-no-scopes = У вас пока нет доступа ни к одному региону. Обратитесь к администратору вашего региона.

overview-title = Обзор
overview-organizations = Организаций
overview-with-pages = С официальной страницей
overview-exempt = Освобождены
overview-pages = Страниц
overview-own-orgs = Мои организации
overview-admin-actions = Администрирование

orgs-title = Организации
orgs-search-hint = Наименование, ИНН или ОГРН
orgs-pages-count = Страниц
orgs-no-pages = нет страниц
org-new = Добавить организацию
org-edit = Изменить организацию
org-created = Организация добавлена.
org-saved = Изменения сохранены.
org-archived = в архиве
org-pages = Официальные страницы
org-subordinates = Подведомственные организации
municipality-none = региональный уровень

pages-title = Официальные страницы
pages-search-hint = Организация или адрес страницы
page-new = Добавить страницу
page-edit = Изменить страницу
page-created = Страница добавлена.

municipality-new = Добавить муниципалитет
municipality-edit = Изменить муниципалитет
sector-new = Добавить отрасль
sector-edit = Изменить отрасль

regions-title = Регионы
region-new = Создать регион
region-created = Регион создан. Пригласите его первого администратора.
region-slug-hint = Латиница, цифры и дефис, например altai-krai.
region-slug-format = От 3 до 40 символов: строчная латиница, цифры и дефис.
region-slug-taken = Этот код уже занят другим регионом.
region-time-zone-unknown = Неизвестный часовой пояс. Пример: Asia/Barnaul.
region-invite-admin = Пригласить администратора региона

people-invite = Пригласить пользователя
people-members = Участники
people-scope = Область доступа
people-whole-region = весь регион
people-municipality-scope = Муниципалитет (для координатора муниципалитета)
people-organization-ogrn = ОГРН организации (для редактора или координатора ведомства)
people-scope-hint = Редактору укажите его организацию. Координатору — муниципалитет, учредителя или ничего (весь регион).
user-disabled = отключён
invite-editor-needs-org = Укажите ОГРН организации редактора.
invite-editor-no-municipality = Редактор работает с организацией, муниципалитет не нужен.
invite-coordinator-one-scope = Укажите либо муниципалитет, либо организацию-учредителя.
invite-admin-whole-region = Администратор работает со всем регионом: уберите муниципалитет и организацию.
invitations-title = Приглашения
invitation-created = Приглашение создано. Передайте ссылку адресату: { $link }
invitation-created-at = Создано
invitation-status = Состояние
invitation-pending-status = ожидает
invitation-accepted-status = принято
invitation-expired-status = истекло
invitation-title = Приглашение
invitation-intro = Вас пригласили в раздел «{ $region }» с ролью:
invitation-existing-user = У вас уже есть учётная запись: введите её пароль, чтобы принять приглашение.
invitation-password-wrong = Неверный пароль.
invitation-accept = Принять приглашение
invitation-accepted = Приглашение принято.
invitation-invalid = Ссылка недействительна: приглашение уже принято, истекло или не существует. Попросите администратора прислать новое.
password-too-short = { $count ->
    [one] Пароль должен быть не короче { $count } символа.
   *[other] Пароль должен быть не короче { $count } символов.
}
password-mismatch = Пароли не совпадают.

error-not-found-title = Страница не найдена
error-not-found = Такой страницы нет или у вас нет к ней доступа.
error-forbidden-title = Недостаточно прав
error-forbidden = Для этого действия нужна другая роль. Если форма была открыта давно, обновите страницу и повторите.
error-login-required-title = Нужен вход
error-login-required = Войдите, чтобы продолжить.
error-bad-request-title = Некорректный запрос
error-bad-request = Запрос не удалось разобрать. Вернитесь назад и попробуйте ещё раз.
error-conflict-title = Конфликт изменений
error-conflict = Данные изменились, пока вы работали. Обновите страницу.
error-internal-title = Внутренняя ошибка
error-internal = Что-то пошло не так на нашей стороне. Мы уже знаем об этом; сообщите код запроса в поддержку.
error-too-large-title = Слишком большой запрос
error-too-large = Отправленные данные превышают допустимый размер.
error-timeout-title = Время ожидания истекло
error-timeout = Запрос выполнялся слишком долго. Попробуйте ещё раз.
error-unavailable-title = Сервис временно недоступен
error-unavailable = База данных не отвечает. Попробуйте через минуту.
error-request-id = Код запроса:
error-go-home = На главную
login-throttled = { $count ->
    [one] Слишком много неудачных попыток входа. Повторите через { $count } минуту.
    [few] Слишком много неудачных попыток входа. Повторите через { $count } минуты.
   *[many] Слишком много неудачных попыток входа. Повторите через { $count } минут.
}
field-current-password = Текущий пароль
password-change-title = Смена пароля
password-change-hint = После смены пароля все остальные сеансы этой учётной записи завершатся.
password-current-wrong = Текущий пароль введён неверно.
password-changed = Пароль изменён. Остальные сеансы завершены.
password-reset-title = Новый пароль
password-reset-issued = Ссылка для сброса пароля действует 24 часа и только один раз. Передайте её пользователю: { $link }
password-reset-invalid = Ссылка недействительна: она уже использована или истекла. Попросите администратора выдать новую.
people-reset-password = Выдать ссылку для сброса пароля
nav-password = Сменить пароль
error-method-title = Действие недоступно
error-method = По этому адресу такое действие не выполняется.
nav-imports = Загрузка реестра
import-title = Загрузка реестра
import-intro = Загрузите таблицу XLSX или CSV (как её сохраняет Excel: UTF-8 или Windows-1251, разделитель «;» или «,»). Сначала файл проверяется целиком: вы увидите все ошибки с номерами строк, а изменения будут внесены, только когда ошибок нет, — все сразу.
import-template = Скачать шаблон таблицы (XLSX)
import-file = Файл
import-file-hint = XLSX или CSV, не больше { $mib } МБ. Первая строка — заголовки столбцов.
import-check = Проверить файл
import-choose-file = Выберите файл для загрузки.
import-file-too-large = Файл больше { $mib } МБ.
import-file-empty = Файл пуст или в нём нет строки заголовков.
import-file-not-a-table = Это не таблица XLSX или CSV.
import-file-bomb = Файл распаковывается в недопустимо большой объём и отклонён.
import-file-broken = Файл повреждён, прочитать его не удалось.
import-history = Прошлые загрузки
import-back = ← Все загрузки
import-rows = Строк
import-created = Будет создано
import-updated = Будет изменено
import-unchanged = Без изменений
import-problems = Ошибки
import-row = Строка
import-column = Столбец
import-message = Что не так
import-ready = Ошибок нет. Проверьте числа выше и внесите изменения.
import-commit = Внести изменения
import-committed = Изменения внесены.
import-already-committed = Эта загрузка уже выполнена.
import-refused-on-commit = { $count ->
    [one] Пока файл ждал, реестр изменился: найдена { $count } ошибка. Ничего не изменено.
    [few] Пока файл ждал, реестр изменился: найдено { $count } ошибки. Ничего не изменено.
   *[many] Пока файл ждал, реестр изменился: найдено { $count } ошибок. Ничего не изменено.
}
import-problems-nothing-changed = Пока в файле есть ошибки, ничего не меняется. Исправьте их и загрузите файл снова.
import-preview-only = Ошибок нет. Чтобы внести изменения, повторите команду с --commit.
import-via-cli = командная строка
import-status-previewed = проверен
import-status-committed = внесён
import-status-refused = отклонён
import-columns-missing = Нет обязательных столбцов: { $columns }.
import-duplicate-ogrn = Этот ОГРН уже встречается в строке { $row }.
import-level-unknown = Неизвестный уровень «{ $value }». Возможные: министерство, ОМСУ, государственное учреждение, муниципальное учреждение, подведомственное учреждение, иное.
import-founder-unknown = Учредитель «{ $value }» не найден ни в файле, ни в реестре.
import-founder-ambiguous = Учредителей с наименованием «{ $value }» несколько: укажите ОГРН.
import-municipality-unknown = Муниципалитет «{ $value }» не найден: укажите наименование из справочника или ОКТМО.
import-sector-unknown = Отрасль «{ $value }» не найдена в справочнике региона.
import-sectors-too-many = Отраслей больше трёх.
nav-audit = Журнал
audit-title = Журнал изменений
audit-caption = Записи журнала
audit-person = Кто
audit-object = Объект
audit-action = Действие
audit-from = С даты
audit-to = По дату
audit-when = Когда
audit-details = Подробности
audit-any = любое
audit-system = система
audit-bad-dates = Даты указываются в формате ГГГГ-ММ-ДД; фильтр по неверной дате не применён.
audit-action-create = создание
audit-action-update = изменение
audit-action-sign_in = вход
audit-action-accept = принятие приглашения
audit-action-commit = загрузка реестра
audit-action-view = просмотр
audit-action-change_password = смена пароля
audit-action-issue_password_reset = выдача ссылки для сброса пароля
audit-action-reset_password = сброс пароля
audit-action-import_create = создание при загрузке
audit-action-import_update = изменение при загрузке
audit-object-organization = организация
audit-object-page = страница
audit-object-municipality = муниципалитет
audit-object-sector = отрасль
audit-object-region = регион
audit-object-invitation = приглашение
audit-object-user = пользователь
audit-object-import = загрузка
audit-object-federal_overview = сводка по регионам
people-change-role = Изменить роль
people-remove-membership = Отозвать роль
people-disable = Отключить
people-enable = Включить
people-resend = Выслать заново
people-revoke = Отозвать
people-edit-membership = Роль и область доступа
people-own-admin-role = Нельзя снять роль администратора с самого себя: попросите другого администратора.
people-membership-exists = У этого человека уже есть такая роль с такой областью доступа.
people-membership-removed = Роль отозвана.
people-disabled = Учётная запись отключена, её сеансы завершены.
people-enabled = Учётная запись снова включена.
people-invitation-revoked = Приглашение отозвано: ссылка больше не действует.
people-invitation-already-accepted = Приглашение уже принято.
invitation-revoked-status = отозвано
password-common = Этот пароль слишком распространён и легко подбирается. Выберите другой.
audit-action-delete = удаление
audit-action-disable = отключение
audit-action-enable = включение
audit-action-revoke = отзыв
audit-action-resend = повторная отправка
audit-object-membership = роль
import-pages-template = Скачать шаблон таблицы страниц (XLSX)
import-kind = Что загружаем
import-kind-organizations = организации
import-kind-pages = официальные страницы
field-mark = Госметка
field-connected = Подключено к «Госпабликам»
import-inn-ambiguous = С ИНН { $value } в реестре несколько организаций: укажите ОГРН.
import-organization-unknown = Организация «{ $value }» не найдена в реестре: укажите её ОГРН или ИНН (сначала загрузите организации).
import-platform-unknown = Неизвестная площадка «{ $value }». Возможные: ВКонтакте, Одноклассники, Telegram, MAX, другое.
import-yes-no = Ожидается «да» или «нет», а не «{ $value }».
import-duplicate-page = Эта страница уже встречается в строке { $row }.
nav-settings = Правила региона
settings-title = Правила региона
settings-platforms = Площадки
settings-platform-required = обязательна
settings-platform-optional = по желанию
settings-platform-unused = не используется
settings-activity = Активная страница
settings-active-posts = Не меньше публикаций
settings-active-days = За последние дней
settings-dormant-days = «Спящая» страница: без публикаций дней
settings-deadlines = Сроки ответа (в рабочем времени)
settings-first-response = Первый ответ, рабочих часов
settings-urgent-response = Первый ответ на срочное обращение, рабочих часов
settings-final-answer = Ответ по существу, рабочих дней
settings-calendar = Рабочий календарь
settings-work-days = Рабочие дни недели
settings-work-start = Начало рабочего дня
settings-work-end = Конец рабочего дня
settings-holidays = Праздничные и нерабочие дни
settings-working-saturdays = Рабочие субботы (переносы)
settings-dates-hint = По одной дате в строке: 31.12.2026 или 2026-12-31.
settings-weights = Веса оценки качества страницы, баллы
settings-weight-connected = Подключение к «Госпабликам»
settings-weight-mark = Госметка
settings-weight-setup = Оформление
settings-weight-widgets = Виджеты Госуслуг
settings-weight-activity = Активность
settings-weight-reach = Недельный охват к числу подписчиков
settings-weight-post-reach = Средний охват публикации
settings-green-from = «Зелёный» от, %
settings-red-below = «Красный» ниже, %
settings-thresholds-order = Порог «красного» не может быть выше порога «зелёного».
settings-weights-zero = Хотя бы один вес должен быть больше нуля.
settings-urgent-longer = Срок для срочного обращения не может быть дольше обычного.
settings-no-required-platform = Хотя бы одна площадка должна быть обязательной.
settings-no-work-days = Отметьте хотя бы один рабочий день.
settings-time-format = Время указывается как ЧЧ:ММ, например 09:00.
settings-hours-order = Конец рабочего дня должен быть позже начала.
settings-date-bad = Не удалось прочитать дату «{ $value }».
field-number-range = Введите целое число от { $min } до { $max }.
weekday-1 = понедельник
weekday-2 = вторник
weekday-3 = среда
weekday-4 = четверг
weekday-5 = пятница
weekday-6 = суббота
weekday-7 = воскресенье
audit-object-settings = правила региона
mail-invitation-subject = Приглашение: { $region } — Госпаблики
mail-invitation-body = Здравствуйте!

    Вас пригласили работать в разделе «{ $region }» платформы «Госпаблики». Чтобы принять приглашение и задать пароль, откройте ссылку:

    { $link }

    Ссылка действует ограниченное время и только один раз. Если вы не ждали этого письма, просто удалите его.
invitation-sent = Приглашение отправлено на { $email }.
invitation-mail-failed = Письмо отправить не удалось. Передайте ссылку приглашения сами: { $link }
import-checking = Проверяем файл… Для десятков тысяч строк это занимает несколько секунд.
import-applying = Вносим изменения… Не закрывайте страницу.

## Settings: questions
settings-high-response = Первый ответ на важное обращение, рабочих часов
settings-urgent-final = Ответ по существу на срочное обращение, рабочих дней
settings-at-risk = «Срок под угрозой» после такой доли срока, %
settings-transfer-clock = Срок при передаче в другую организацию
settings-transfer-clock-new = Новый срок с момента передачи
settings-transfer-clock-keep = Прежний срок сохраняется
settings-retention = Хранить контакты жителя после закрытия обращения, дней
settings-categories = Категории обращений
settings-categories-hint = По одной на строку, в том порядке, в каком их показывать.
settings-category-long = Слишком длинное название категории: «{ $value }».
settings-category-repeated = Категория «{ $value }» повторяется.
settings-categories-empty = Нужна хотя бы одна категория.
settings-categories-many = Не больше 50 категорий.
