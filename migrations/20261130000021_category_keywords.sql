-- The region's words for each question category: questions that arrive by themselves get
-- their category guessed from them (src/questions/keywords.rs reads the lines).
alter table region_settings add column category_keywords text not null default ''
    constraint region_settings_keywords_length check (length(category_keywords) <= 20000);
